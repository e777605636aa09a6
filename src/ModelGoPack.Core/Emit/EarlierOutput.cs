using System.Text.Json;

namespace ModelGoPack.Emit;

/// <summary>
/// Whether a file at an output path is an earlier output of ModelGoPack's (a BOM, a signature), which may be replaced,
/// by the start of it read as JSON: never the whole file (it may be large, and is not ours until this says so).
/// </summary>
internal static class EarlierOutput
{
    /// <summary>
    /// Whether <paramref name="head"/> (a file's start, all of it when <paramref name="whole"/>) is a JSON object whose own
    /// top-level property <paramref name="name"/> is a string among <paramref name="values"/>: the key read as JSON, never
    /// a text that merely quotes it (a page of documentation, a note, a nested value).
    /// </summary>
    public static bool HasTopLevelString(ReadOnlySpan<byte> head, bool whole, ReadOnlySpan<byte> name, params string[] values)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            head = head[3..];
        }

        var reader = new Utf8JsonReader(head, whole, new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip }));
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isName = reader.ValueTextEquals(name);
                if (!reader.Read())
                {
                    return false;
                }

                if (isName)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    foreach (var value in values)
                    {
                        if (reader.ValueTextEquals(value))
                        {
                            return true;
                        }
                    }

                    return false;
                }

                if (!reader.TrySkip())
                {
                    return false;
                }
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
