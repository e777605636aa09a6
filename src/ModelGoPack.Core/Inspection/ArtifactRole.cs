namespace ModelGoPack.Inspection;

/// <summary>What a file is for, in a model release.</summary>
public enum ArtifactRole
{
    /// <summary>Model weights: safetensors, GGUF, PyTorch, ONNX, compiled engines.</summary>
    Weights,

    /// <summary>The architecture definition: config.json, params.json, generation settings.</summary>
    Architecture,

    /// <summary>Tokenizer files.</summary>
    Tokenizer,

    /// <summary>Source code, scripts, notebooks, and compiled code.</summary>
    Code,

    /// <summary>Documentation.</summary>
    Docs,

    /// <summary>License, notice, copyright and author files.</summary>
    Notice,

    /// <summary>Data sets and samples.</summary>
    Data,

    /// <summary>Anything else.</summary>
    Other,
}
