using ModelGoPack.Diagnostics;

namespace ModelGoPack.Distribution;

/// <summary>A registry's refusal or failure, as the coded message push reports (MGP9052 to MGP9056).</summary>
public sealed class RegistryException(MessageText message) : Exception(message.Text)
{
    /// <summary>The coded message to report.</summary>
    public MessageText Diagnostic { get; } = message;
}
