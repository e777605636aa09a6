using System.Globalization;
using System.Text.Json;
using ModelGoPack.Diagnostics;

namespace ModelGoPack.Config;

// The config reader, part 4: values by type (strings, dates, lists, objects), the keys an object may hold, and paths and globs.
internal sealed partial class ConfigReader
{
    private void CheckKeys(JsonElement element, string path, string[] known)
    {
        foreach (var property in element.EnumerateObject())
        {
            string name;
            try
            {
                name = property.Name;
            }
            catch (InvalidOperationException)
            {
                this.Error(Messages.ConfigKeyNotUnicode.With(Place(path)), path);
                continue;
            }

            if (Array.IndexOf(known, name) < 0)
            {
                var suggestion = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase) || Distance(k, name) <= 2);
                var keys = string.Join(", ", known);
                this.Error(suggestion is null ? Messages.ConfigKeyUnknown.With(name, Place(path), keys) : Messages.ConfigKeyUnknownLike.With(name, Place(path), suggestion, keys), $"{path}.{name}");
            }
        }
    }

    /// <summary>Where an object stands, as a message says it: "the config" at the root, else its path (upstream[0]).</summary>
    private static string Place(string path) => path == "$" ? "the config" : path[2..];

    private string? RequiredString(JsonElement element, string path, string key) =>
        this.Required(element, path, key) ? this.OptionalString(element, path, key) : null;

    /// <summary>
    /// Whether a required key is present and not null; reports it when it is not, as <paramref name="missing"/> and
    /// <paramref name="isNull"/> say (by default, as for any key).
    /// </summary>
    private bool Required(JsonElement element, string path, string key, MessageText? missing = null, MessageText? isNull = null)
    {
        if (!element.TryGetProperty(key, out var value))
        {
            this.Error(missing ?? (path == "$" ? Messages.ConfigKeyMissing.With(key) : Messages.ConfigKeyMissingIn.With(key, path[2..])), path);
            return false;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            this.Error(isNull ?? Messages.ConfigKeyNull.With(key), $"{path}.{key}");
            return false;
        }

        return true;
    }

    private string? OptionalString(JsonElement element, string path, string key)
    {
        if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            this.Error(Messages.ConfigValueNotString.With(key, Describe(value.ValueKind)), $"{path}.{key}");
            return null;
        }

        if (!TryGetString(value, out var text))
        {
            this.Error(Messages.ConfigValueNotUnicode.With(key), $"{path}.{key}");
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            this.Error(Messages.ConfigValueEmpty.With(key), $"{path}.{key}");
            return null;
        }

        return text;
    }

    private DateOnly? OptionalDate(JsonElement element, string path, string key)
    {
        var text = this.OptionalString(element, path, key);
        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            this.Error(Messages.ConfigValueNotDate.With(key, text), $"{path}.{key}");
            return null;
        }

        return date;
    }

    private List<string>? StringList(JsonElement element, string path, string key)
    {
        if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            this.Error(Messages.ConfigValueNotStringList.With(key, Describe(value.ValueKind)), $"{path}.{key}");
            return null;
        }

        var list = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = $"{path}.{key}[{index++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                this.Error(Messages.ConfigItemNotString.With(key, Describe(item.ValueKind)), itemPath);
                continue;
            }

            if (!TryGetString(item, out var text) || string.IsNullOrWhiteSpace(text))
            {
                this.Error(Messages.ConfigItemNotText.With(key), itemPath);
                continue;
            }

            list.Add(text);
        }

        return list;
    }

    private List<T> ObjectList<T>(JsonElement element, string path, string key, Func<JsonElement, string, T?> bind)
        where T : class
    {
        var list = new List<T>();
        if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return list;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            this.Error(Messages.ConfigValueNotObjectList.With(key, Describe(value.ValueKind)), $"{path}.{key}");
            return list;
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = $"{path}.{key}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                this.Error(Messages.ConfigItemNotObject.With(key, Describe(item.ValueKind)), itemPath);
                continue;
            }

            if (bind(item, itemPath) is { } bound)
            {
                list.Add(bound);
            }
        }

        return list;
    }

    private static bool TryGetString(JsonElement element, out string text)
    {
        try
        {
            text = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    private void CheckGlob(string glob, string path)
    {
        if (ProjectPath.HasControlCharacters(glob))
        {
            this.Error(Messages.GlobControlCharacter.With(ProjectPath.Printable(glob)), path);
        }
        else if (ProjectPath.IsRootedOrEscaping(glob))
        {
            this.Error(Messages.GlobOutsideProject.With(glob), path);
        }
    }

    private string? CheckRelativePath(string value, string path)
    {
        if (ProjectPath.HasControlCharacters(value))
        {
            this.Error(Messages.PathControlCharacter.With(ProjectPath.Printable(value)), path);
            return null;
        }

        if (ProjectPath.IsRootedOrEscaping(value))
        {
            this.Error(Messages.PathOutsideProject.With(value), path);
            return null;
        }

        return ProjectPath.Normalize(value);
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
