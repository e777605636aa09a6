using System.Text;

namespace ModelGoPack.Inspection;

/// <summary>
/// The protobuf wire format as ONNX uses it: the wire types, the check of a field's wire type, and the reader
/// that every walk (OnnxInspector.Graph, OnnxInspector.Tensors) reads through.
/// </summary>
internal static partial class OnnxInspector
{
    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLength = 2;
    private const int WireFixed32 = 5;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static void Expect(int wire, int expected, string context, string name, int field)
    {
        if (wire != expected)
        {
            throw WrongWire(wire, context, name, field, expected == WireVarint ? "varint" : "length-delimited");
        }
    }

    private static ArtifactFormatException WrongWire(int wire, string context, string name, int field, string expected) =>
        new($"{context}.{name} (field {field}) has wire type {wire}, expected {expected}: not an ONNX model.");

    /// <summary>
    /// A forward-only protobuf wire reader over a stream, with a fixed buffer. Every read is bounded by the
    /// end of the message it is in; skipping seeks (or, on a stream that cannot seek, reads and discards).
    /// </summary>
    private sealed class WireReader
    {
        private const int BufferSize = 64 * 1024;

        private readonly Stream stream;
        private readonly long origin;
        private readonly byte[] buffer = new byte[BufferSize];
        private long bufferStart;
        private int bufferCount;
        private long streamOffset;

        public WireReader(Stream stream, long length)
        {
            this.stream = stream;
            this.Length = length;
            if (stream.CanSeek)
            {
                this.origin = stream.Position;
                var available = stream.Length - this.origin;
                if (available < length)
                {
                    throw new ArtifactFormatException($"the file has {available} bytes, fewer than the {length} expected.");
                }
            }
        }

        public long Length { get; }

        public long Position { get; private set; }

        /// <summary>Reads a field's tag: its number and wire type.</summary>
        public (int Field, int Wire) ReadTag(long end, string context)
        {
            var at = this.Position;
            var tag = this.ReadVarint(end, context);
            if (tag > uint.MaxValue)
            {
                throw new ArtifactFormatException($"{context}: the field tag at byte {at} is over 32 bits: not an ONNX model.");
            }

            var field = (int)(tag >> 3);
            var wire = (int)(tag & 7);
            if (field == 0)
            {
                throw new ArtifactFormatException($"{context}: field number 0 at byte {at} is invalid protobuf: not an ONNX model.");
            }

            if (wire is 3 or 4)
            {
                throw new ArtifactFormatException(
                    $"{context}: field {field} at byte {at} has wire type {wire} ({(wire == 3 ? "start" : "end")} group), which ONNX never uses: not an ONNX model.");
            }

            if (wire is 6 or 7)
            {
                throw new ArtifactFormatException($"{context}: field {field} at byte {at} has wire type {wire}, which protobuf does not define: not an ONNX model.");
            }

            return (field, wire);
        }

        /// <summary>Reads a base-128 varint of at most 10 bytes, all before <paramref name="end"/>.</summary>
        public ulong ReadVarint(long end, string context)
        {
            var at = this.Position;
            ulong value = 0;
            for (var i = 0; i < 10; i++)
            {
                if (this.Position >= end)
                {
                    throw new ArtifactFormatException($"{context}: the varint at byte {at} runs past the end of {this.Container(end)}.");
                }

                var b = this.ReadByte();
                if (i == 9 && b > 1)
                {
                    throw new ArtifactFormatException((b & 0x80) != 0
                        ? $"{context}: the varint at byte {at} is longer than 10 bytes."
                        : $"{context}: the varint at byte {at} overflows 64 bits.");
                }

                value |= (ulong)(b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw new InvalidOperationException("unreachable: the tenth byte of a varint ends it or throws.");
        }

        /// <summary>Reads a length-delimited field's length and returns where its content ends.</summary>
        public long ReadMessageEnd(long end, string context, string? name, int field)
        {
            var at = this.Position;
            var length = this.ReadVarint(end, context);
            var remaining = end - this.Position;
            if (length > (ulong)remaining)
            {
                throw new ArtifactFormatException(
                    $"{FieldName(context, name, field)} at byte {at} declares {length} bytes, but only {remaining} remain in {this.Container(end)}.");
            }

            return this.Position + (long)length;
        }

        /// <summary>Reads a UTF-8 string field of at most <see cref="MaxStringBytes"/> bytes.</summary>
        public string ReadString(long end, string context, string name, int field)
        {
            var at = this.Position;
            var stringEnd = this.ReadMessageEnd(end, context, name, field);
            var length = stringEnd - this.Position;
            if (length > MaxStringBytes)
            {
                throw new ArtifactFormatException($"{context}.{name} (field {field}) at byte {at} is {length} bytes long, over the limit of {MaxStringBytes} bytes.");
            }

            var bytes = new byte[length];
            this.ReadExactly(bytes);
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new ArtifactFormatException($"{context}.{name} (field {field}) at byte {at} is not valid UTF-8.");
            }
        }

        /// <summary>Moves to a position inside the current message (past a packed field whose length is known).</summary>
        public void SkipTo(long position) => this.Position = position;

        /// <summary>
        /// Reads a name of a node (op_type, domain, output, an attribute's name) as ONNX Runtime does: bytes that are
        /// not UTF-8 decode to U+FFFD, and a name longer than <see cref="MaxStringBytes"/> is skipped (null).
        /// </summary>
        public string? ReadLenientString(long end, string context, int field)
        {
            var stringEnd = this.ReadMessageEnd(end, context, null, field);
            var length = stringEnd - this.Position;
            if (length > MaxStringBytes)
            {
                this.Position = stringEnd;
                return null;
            }

            var bytes = new byte[length];
            this.ReadExactly(bytes);
            return Encoding.UTF8.GetString(bytes);
        }

        /// <summary>Skips a field whose tag has been read, without reading its content.</summary>
        public void SkipField(int wire, long end, string context, int field)
        {
            switch (wire)
            {
                case WireVarint:
                    this.ReadVarint(end, context);
                    break;
                case WireFixed64:
                    this.SkipFixed(8, end, context, field);
                    break;
                case WireLength:
                    this.Position = this.ReadMessageEnd(end, context, null, field);
                    break;
                case WireFixed32:
                    this.SkipFixed(4, end, context, field);
                    break;
                default:
                    throw new ArtifactFormatException($"{context}: field {field} has wire type {wire}: not an ONNX model.");
            }
        }

        private void SkipFixed(int size, long end, string context, int field)
        {
            if (end - this.Position < size)
            {
                throw new ArtifactFormatException(
                    $"{context}: the {size * 8}-bit field {field} at byte {this.Position} runs past the end of {this.Container(end)}.");
            }

            this.Position += size;
        }

        private static string FieldName(string context, string? name, int field) =>
            name is null ? $"{context}: field {field}" : $"{context}.{name} (field {field})";

        private string Container(long end) => end == this.Length ? "the file" : "its message";

        private byte ReadByte()
        {
            if (this.Position < this.bufferStart || this.Position >= this.bufferStart + this.bufferCount)
            {
                this.Fill();
            }

            return this.buffer[this.Position++ - this.bufferStart];
        }

        private void ReadExactly(Span<byte> destination)
        {
            while (destination.Length > 0)
            {
                if (this.Position < this.bufferStart || this.Position >= this.bufferStart + this.bufferCount)
                {
                    this.Fill();
                }

                var offset = (int)(this.Position - this.bufferStart);
                var count = Math.Min(destination.Length, this.bufferCount - offset);
                this.buffer.AsSpan(offset, count).CopyTo(destination);
                destination = destination[count..];
                this.Position += count;
            }
        }

        /// <summary>Loads the buffer from <see cref="Position"/>, which callers keep below <see cref="Length"/>.</summary>
        private void Fill()
        {
            if (this.streamOffset != this.Position)
            {
                if (this.stream.CanSeek)
                {
                    this.stream.Seek(this.origin + this.Position, SeekOrigin.Begin);
                    this.streamOffset = this.Position;
                }
                else
                {
                    while (this.streamOffset < this.Position)
                    {
                        var skipped = this.stream.Read(this.buffer, 0, (int)Math.Min(BufferSize, this.Position - this.streamOffset));
                        if (skipped == 0)
                        {
                            throw this.Truncated();
                        }

                        this.streamOffset += skipped;
                    }
                }
            }

            var read = this.stream.Read(this.buffer, 0, (int)Math.Min(BufferSize, this.Length - this.Position));
            if (read == 0)
            {
                throw this.Truncated();
            }

            this.bufferStart = this.Position;
            this.bufferCount = read;
            this.streamOffset += read;
        }

        private ArtifactFormatException Truncated() =>
            new($"the file ends at byte {this.streamOffset}, before the {this.Length} bytes expected.");
    }
}
