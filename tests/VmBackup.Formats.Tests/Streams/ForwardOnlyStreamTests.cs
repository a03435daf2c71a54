using VmBackup.Formats.Streams;

namespace VmBackup.Formats.Tests.Streams;

public sealed class ForwardOnlyStreamTests
{
    [Fact]
    public async Task A_read_stream_forwards_the_array_overloads_and_refuses_to_seek_or_write()
    {
        using var stream = new Counting();
        var buffer = new byte[10];
        stream.Read(buffer, 2, 5).ShouldBe(5);
        buffer.ShouldBe(new byte[] { 0, 0, 1, 1, 1, 1, 1, 0, 0, 0 });
        (await stream.ReadAsync(buffer, 0, 3, CancellationToken.None)).ShouldBe(3);
        stream.Position.ShouldBe(8);
        (stream.CanRead, stream.CanSeek, stream.CanWrite).ShouldBe((true, false, false));
        Should.Throw<NotSupportedException>(() => stream.Length);
        Should.Throw<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Should.Throw<NotSupportedException>(() => stream.SetLength(1));
        Should.Throw<NotSupportedException>(() => stream.Write(buffer, 0, 1));
    }

    [Fact]
    public async Task A_write_stream_forwards_the_array_overloads_and_refuses_to_seek_or_read()
    {
        using var stream = new Sink();
        stream.Write([1, 2, 3, 4], 1, 2);
        await stream.WriteAsync(new byte[] { 5, 6, 7 }, 2, 1, CancellationToken.None);
        stream.Written.ShouldBe(new byte[] { 2, 3, 7 });
        (stream.CanRead, stream.CanSeek, stream.CanWrite).ShouldBe((false, false, true));
        Should.Throw<NotSupportedException>(() => stream.Read(new byte[1], 0, 1));
        Should.Throw<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Should.Throw<NotSupportedException>(() => stream.Length);
    }

    private sealed class Counting : ForwardOnlyReadStream
    {
        public override long Position { get; set; }

        public override int Read(Span<byte> buffer)
        {
            buffer.Fill(1);
            Position += buffer.Length;
            return buffer.Length;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
    }

    private sealed class Sink : ForwardOnlyWriteStream
    {
        private readonly List<byte> _written = [];

        public byte[] Written => [.. _written];

        public override long Position
        {
            get => _written.Count;
            set => throw new NotSupportedException();
        }

        public override void Write(ReadOnlySpan<byte> buffer) => _written.AddRange(buffer.ToArray());

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }
    }
}
