using VmBackup.Core.Backup;

namespace VmBackup.Core.Tests.Nau.Run;

/// <summary>The double-buffered copy the backup run streams exports with.</summary>
public sealed class StreamPumpTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(StreamPump.BufferSize)]
    [InlineData((3 * StreamPump.BufferSize) + 12345)]
    public async Task Copy_OfAnySize_InSmallReads_IsExactAndReportsEveryByte(int size)
    {
        var data = new byte[size];
        new Random(size).NextBytes(data);
        var source = new DribbleStream(data, maxRead: 70_000);
        var destination = new MemoryStream();
        var reported = new List<long>();

        var copied = await StreamPump.CopyAsync(source, destination, reported.Add, CancellationToken.None);

        copied.ShouldBe(size);
        destination.ToArray().ShouldBe(data);
        if (size > 0)
        {
            reported[^1].ShouldBe(size);
            reported.ShouldBe(reported.Order().ToList());
        }
        else
        {
            reported.ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task Copy_WhenTheWriteFails_Throws()
    {
        var source = new DribbleStream(new byte[3 * StreamPump.BufferSize], maxRead: 1 << 20);

        await Should.ThrowAsync<IOException>(() => StreamPump.CopyAsync(source, new FailingStream(), null, CancellationToken.None));
    }

    [Fact]
    public async Task Copy_WhenTheReadFails_Throws()
    {
        var source = new DribbleStream(new byte[3 * StreamPump.BufferSize], maxRead: 1 << 20) { FailAfter = StreamPump.BufferSize + 10 };

        await Should.ThrowAsync<InvalidDataException>(() => StreamPump.CopyAsync(source, new MemoryStream(), null, CancellationToken.None));
    }

    private sealed class DribbleStream(byte[] data, int maxRead) : Stream
    {
        private int _position;

        public int? FailAfter { get; init; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            if (FailAfter is { } limit && _position >= limit)
            {
                throw new InvalidDataException("cut");
            }

            var n = Math.Min(Math.Min(buffer.Length, maxRead), data.Length - _position);
            data.AsMemory(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class FailingStream : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new IOException("No space left on device"));
    }
}
