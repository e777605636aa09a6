using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ModelGoPack.Config;

/// <summary>
/// The types the config code serializes with <see cref="JsonSerializer"/>, generated at compile time so that the native
/// (AOT) tool needs no reflection or runtime code generation for them.
/// </summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class ConfigJson : JsonSerializerContext;
