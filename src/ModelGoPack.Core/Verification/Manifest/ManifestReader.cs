using System.Text;
using System.Text.Json;
using ModelGoPack.Config;
using ModelGoPack.Diagnostics;
using ModelGoPack.Discovery;
using ModelGoPack.Emit;
using ModelGoPack.Loading;

namespace ModelGoPack.Verification;

/// <summary>
/// Reads a bundle's <c>modelgo-manifest.json</c> as data from anyone: at most 256 MiB (the limit pack keeps
/// too), its <c>files</c> list read by a forward-only JSON reader into compact entries (a million files are a
/// million small records, never a document of them), and what it declares read by the config reader from the
/// manifest without its files list, with the lines of the manifest itself. Its bytes are not kept: their SHA-256
/// and length stand for them. The files list is read by <see cref="Parser"/> (ManifestReader.Parser.cs).
/// </summary>
internal static partial class ManifestReader
{
    private const string ManifestName = ProjectLoader.ManifestFileName;

    /// <summary>
    /// The most a manifest may declare besides its files list (name, license, upstreams, modifications, waivers): read
    /// as a document, it is bounded on its own. ModelGoPack's own declarations are a few kilobytes; 16 MiB is room
    /// for any honest one.
    /// </summary>
    internal const long MaxDeclaredBytes = 16L * 1024 * 1024;

    /// <summary>The most line breaks a manifest's files list may have: 8 for each of the most files a bundle holds.</summary>
    private const long MaxFilesLineBreaks = 8L * BundleLimits.MaxFiles;

    /// <summary>
    /// The manifest in <paramref name="stream"/>, or null with the reason (MGP9006). Read as a stream, in blocks:
    /// the files list goes into compact entries as it comes, the rest (what the manifest declares) is kept, and the
    /// SHA-256 of the whole is computed on the way; the manifest itself is never held. Paths equal to a key of
    /// <paramref name="known"/> (the bundle's files, read before) share its string. <paramref name="expected"/>: how many
    /// files the bundle holds, when known (an archive's entries), so that the lists are made at their size once, not
    /// grown by copies that stay in memory until the next full collection.
    /// </summary>
    public static BundleManifest? Read(Stream stream, DiagnosticBag diagnostics, string where, Dictionary<string, ProjectFile>? known = null, int expected = 0)
    {
        var parser = new Parser(known, Math.Clamp(expected, 0, BundleLimits.MaxFiles));
        string? problem;
        try
        {
            problem = parser.Run(stream);
        }
        catch (JsonException e)
        {
            problem = $"it is not valid JSON ({e.Message.Split(" LineNumber:")[0]})";
        }
        catch (Exception e) when (e is InvalidOperationException or DecoderFallbackException)
        {
            // Bytes that are not UTF-8.
            problem = "it is not valid UTF-8 text";
        }

        if (parser.TooLarge)
        {
            diagnostics.Add(Messages.ReceivedManifestTooLarge.With(BundleLimits.MaxManifestBytes / (1024 * 1024)), where);
            return null;
        }

        if (problem is not null)
        {
            diagnostics.Add(Messages.ReceivedManifestUnusable.With(problem), where);
            return null;
        }

        // What it declares, read from the manifest without its files list, whose place keeps a count of its line breaks: a
        // finding points at the manifest's own lines.
        var declaration = Declaration(parser.Declared.ToArray(), (parser.CollapsedAt, (int)Math.Max(0, parser.LineBreaks - 1)), out var invalid);
        if (invalid is not null)
        {
            diagnostics.Add(Messages.ReceivedManifestDeclarationInvalid.With(invalid), where);

            return null;
        }

        parser.Entries.TrimExcess();
        return new BundleManifest(parser.Entries, declaration, parser.Digest, parser.Length);
    }

    /// <summary>
    /// The most values (JSON tokens) a manifest may declare besides its files list: 1,000,000. What it declares is read
    /// as a document, with the place of every value (findings point at the manifest's lines), so its cost grows with
    /// the count, not only the bytes; pack counts the same (BundleLimits.Check).
    /// </summary>
    internal const int MaxDeclaredValues = 1_000_000;

    /// <summary>
    /// What the manifest declares (name, version, license, copyright, upstream, modifications, waivers), read
    /// by the config reader itself; its findings point at the manifest. A manifest that declares no lineage
    /// (no "upstream" or "modifications", as from another tool) gives null: the bundle is then evaluated
    /// without a declaration. One that declares a lineage the config reader rejects is <paramref name="invalid"/>.
    /// </summary>
    private static ConfigSource? Declaration(byte[] manifest, (int At, int Lines) collapsed, out string? invalid)
    {
        var filtered = Filter(manifest, out var declares, out _, out invalid);
        if (invalid is not null || !declares)
        {
            return null;
        }

        var scratch = new DiagnosticBag();
        ConfigSource? source;
        try
        {
            source = ConfigReader.Parse(filtered, null, scratch, fileExists: false, manifest: true);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            invalid = $"it is not a valid declaration ({e.Message})";
            return null;
        }

        if (source is null)
        {
            var first = scratch.Items.FirstOrDefault(d => d.Severity == Severity.Error)?.Message ?? "it cannot be read as a declaration";
            invalid = first.Replace(ModelGoConfig.FileName, ManifestName, StringComparison.Ordinal);
            return null;
        }

        // The manifest's keys stand where the config's would: findings get the manifest's own lines.
        var locations = JsonLocationMap.TryBuild(manifest, new JsonReaderOptions { MaxDepth = 16 }, collapsed);
        return source with { Locations = locations, FileName = ManifestName };
    }

    /// <summary>
    /// How many values <paramref name="declaration"/> (a manifest without its files list, as pack writes it) holds, and
    /// whether that is more than a manifest may declare: pack's side of <see cref="MaxDeclaredValues"/>.
    /// </summary>
    internal static int DeclaredValues(byte[] declaration)
    {
        Filter(declaration, out _, out var values, out _);
        return values;
    }

    /// <summary>
    /// The manifest's declaration as the config reader reads it, copied value by value (never a document of it): without
    /// what a manifest records but does not declare (manifestVersion, generator, files; a waiver's findings). Refuses a
    /// key given twice in any object (readers differ on which counts), an upstream that names a release location, and
    /// more than <see cref="MaxDeclaredValues"/> values. <paramref name="declares"/>: whether it declares a lineage
    /// ("upstream" or "modifications").
    /// </summary>
    private static byte[] Filter(byte[] manifest, out bool declares, out int values, out string? invalid)
    {
        (declares, values, invalid) = (false, 0, null);
        try
        {
            var reader = new Utf8JsonReader(manifest, new JsonReaderOptions { MaxDepth = 16 });
            using var output = new MemoryStream();
            using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 16 }))
            {
                var keys = new Stack<HashSet<string>?>();
                string? top = null;
                var skipTo = -1;
                while (reader.Read())
                {
                    if (++values > MaxDeclaredValues)
                    {
                        invalid = $"it declares more than {MaxDeclaredValues:N0} values besides its files list";
                        return [];
                    }

                    var depth = reader.CurrentDepth;
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        keys.Push(reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null);
                    }
                    else if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                    {
                        keys.Pop();
                    }

                    if (skipTo >= 0)
                    {
                        // Inside a value left out, until its end (a primitive ends where it starts).
                        if (depth == skipTo && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
                        {
                            skipTo = -1;
                        }

                        continue;
                    }

                    switch (reader.TokenType)
                    {
                        case JsonTokenType.StartObject:
                            writer.WriteStartObject();
                            break;
                        case JsonTokenType.StartArray:
                            writer.WriteStartArray();
                            break;
                        case JsonTokenType.EndObject:
                            writer.WriteEndObject();
                            break;
                        case JsonTokenType.EndArray:
                            writer.WriteEndArray();
                            break;
                        case JsonTokenType.PropertyName:
                            var name = reader.GetString()!;
                            if (keys.Peek() is { } seen && !seen.Add(name))
                            {
                                invalid = $"the key \"{ProjectPath.Shown(name)}\" is given twice in one object";
                                return [];
                            }

                            if (depth == 1)
                            {
                                top = name;
                                declares |= name is "upstream" or "modifications";
                            }

                            if ((depth == 1 && name is "manifestVersion" or "generator" or "files") || (depth == 3 && top == "waivers" && name == "findings"))
                            {
                                // The value that follows is left out: its tokens start at its key's depth.
                                skipTo = depth;
                                continue;
                            }

                            if (depth == 3 && top == "upstream" && name is "git" or "manifest" or "bundle" or "repository")
                            {
                                // ModelGoPack never writes where an upstream's release is; a manifest that says so would make
                                // its modifications unjudgeable (no release to compare with).
                                invalid = $"an upstream names a release ('{name}'), which a manifest does not declare";
                                return [];
                            }

                            writer.WritePropertyName(name);
                            break;
                        case JsonTokenType.String:
                            writer.WriteStringValue(reader.GetString());
                            break;
                        case JsonTokenType.Number:
                            writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                            break;
                        case JsonTokenType.True or JsonTokenType.False:
                            writer.WriteBooleanValue(reader.GetBoolean());
                            break;
                        case JsonTokenType.Null:
                            writer.WriteNullValue();
                            break;
                    }
                }
            }

            return output.ToArray();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            invalid = $"it is not a valid declaration ({e.Message})";
            return [];
        }
    }
}
