namespace ModelGoPack.Emit;

/// <summary>The zip format's record signatures, sizes and flags (PKWARE APPNOTE 6.3), for the writer and the reader alike.</summary>
internal static class ZipFormat
{
    public const uint LocalSignature = 0x04034b50;
    public const uint CentralSignature = 0x02014b50;
    public const uint EndSignature = 0x06054b50;
    public const uint Zip64EndSignature = 0x06064b50;
    public const uint Zip64LocatorSignature = 0x07064b50;
    public const uint DescriptorSignature = 0x08074b50;
    public const ushort Zip64ExtraId = 0x0001;

    /// <summary>Info-ZIP's Unicode Path extra field: a version, the CRC-32 of the header's name, and the name in UTF-8.</summary>
    public const ushort UnicodePathExtraId = 0x7075;

    /// <summary>libarchive's "xl" extra field: a bitmap, then version made by, internal and external attributes as the bitmap says.</summary>
    public const ushort LibarchiveExtraId = 0x6c78;

    /// <summary>Fixed sizes: the end record, the Zip64 locator, a central record and a local header, before their variable parts.</summary>
    public const int EndSize = 22;
    public const int LocatorSize = 20;
    public const int CentralFixed = 46;
    public const int LocalFixed = 30;

    /// <summary>General-purpose flags: encrypted (bit 0), a data descriptor follows (3), strong encryption (6), UTF-8 names (11), masked local header (13).</summary>
    public const ushort EncryptedFlag = 1;
    public const ushort DescriptorFlag = 1 << 3;
    public const ushort PatchedDataFlag = 1 << 5;
    public const ushort StrongEncryptionFlag = 1 << 6;
    public const ushort Utf8Flag = 1 << 11;
    public const ushort MaskedHeaderFlag = 1 << 13;
}
