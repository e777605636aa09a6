using System.Globalization;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;

namespace ModelGoPack.Verification;

/// <summary>An entry's data as it is read: a slice of the archive, inflated if deflated, checked at its end.</summary>
internal sealed partial class ZipDirectory
{
    /// <summary>A span of the archive read with positioned reads: any number of threads, one handle.</summary>
    private sealed class Slice(SafeFileHandle handle, long start, long length, int trickle = 0) : Stream
    {
        private long position;

        /// <summary>Whether every byte of the slice was read.</summary>
        public bool AtEnd => this.position == length;

        /// <summary>Whether more was asked for once every byte was read: an inflater whose deflate stream never ended.</summary>
        public bool ReadPastEnd { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => this.position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => this.Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var left = length - this.position;
            if (buffer.Length == 0)
            {
                return 0;
            }

            if (left <= 0)
            {
                this.ReadPastEnd = true;
                return 0;
            }

            var wanted = (int)Math.Min(buffer.Length, left <= trickle ? 1 : left - trickle);

            var read = RandomAccess.Read(handle, buffer[..wanted], start + this.position);
            if (read == 0)
            {
                throw new InvalidDataException("the archive ends inside this entry's data");
            }

            this.position += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>An entry's data as read, its CRC-32 and size checked against the central record at its end.</summary>
    private sealed class Checked(Stream inner, Entry entry, Slice data) : Stream
    {
        private readonly Crc32 crc = new();
        private long count;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => entry.Size;

        public override long Position
        {
            get => this.count;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => this.Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            this.crc.Append(buffer[..read]);
            this.count += read;
            if (this.count > entry.Size)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"damaged: its data is longer than the {entry.Size:N0} bytes the archive lists"));
            }

            if (read == 0 && buffer.Length > 0)
            {
                if (this.count != entry.Size)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"damaged: its data is {this.count:N0} bytes, the archive lists {entry.Size:N0}"));
                }

                if (entry.Method == 8 && data.ReadPastEnd)
                {
                    // Its last block is not marked final: a streaming reader goes on inflating what follows.
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"damaged or hiding something: its deflated data has no final block within its compressed size of {entry.CompressedSize:N0} bytes, and a streaming reader would inflate what follows"));
                }

                if (!data.AtEnd)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"damaged or hiding something: its deflated data ends before its compressed size of {entry.CompressedSize:N0} bytes, and a streaming reader would read what follows as more records"));
                }

                if (this.crc.GetCurrentHashAsUInt32() != entry.Crc)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"damaged (CRC): its data's CRC-32 is {this.crc.GetCurrentHashAsUInt32():x8}, the archive lists {entry.Crc:x8}"));
                }
            }

            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
