using System.Runtime.InteropServices;
using VmBackup.Formats.Streams;

namespace VmBackup.Formats.Compression;

/// <summary>
/// A read-only stream that decompresses zstd data (one or more concatenated frames) from an inner stream, using the
/// system <c>libzstd.so.1</c>. A stream that ends inside a frame raises <see cref="InvalidDataException"/> naming the
/// compressed offset; it never returns a silent short read. Not thread-safe.
/// </summary>
public sealed class ZstdDecompressionStream : ForwardOnlyReadStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly byte[] _input;
    private readonly byte[] _output;
    private IntPtr _dctx;
    private int _inputStart;
    private int _inputEnd;
    private int _outputStart;
    private int _outputEnd;
    private bool _outputWasFull;
    private bool _frameComplete = true;
    private bool _sawInput;
    private bool _innerEnded;
    private long _compressedConsumed;
    private long _position;

    /// <summary>Creates a decompressing stream over <paramref name="inner"/>.</summary>
    /// <exception cref="ZstdUnavailableException">libzstd.so.1 is missing.</exception>
    public ZstdDecompressionStream(Stream inner, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ZstdNative.EnsureAvailable();
        _inner = inner;
        _leaveOpen = leaveOpen;
        _dctx = ZstdNative.CreateDCtx();
        if (_dctx == IntPtr.Zero)
        {
            throw new OutOfMemoryException("ZSTD_createDCtx failed");
        }

        _input = GC.AllocateUninitializedArray<byte>((int)Math.Max(ZstdNative.DStreamInSize(), 64 * 1024), pinned: true);
        _output = GC.AllocateUninitializedArray<byte>((int)Math.Max(ZstdNative.DStreamOutSize(), 64 * 1024), pinned: true);
    }

    /// <inheritdoc />
    public override bool CanRead => _dctx != IntPtr.Zero;

    /// <inheritdoc />
    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_dctx == IntPtr.Zero, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (TryCopyOut(buffer, out var copied))
            {
                return copied;
            }

            if (NeedsInput())
            {
                if (_innerEnded)
                {
                    return Finish();
                }

                var n = _inner.Read(_input, 0, _input.Length);
                OnInputRead(n);
                continue;
            }

            Decompress();
        }
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_dctx == IntPtr.Zero, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (TryCopyOut(buffer.Span, out var copied))
            {
                return copied;
            }

            if (NeedsInput())
            {
                if (_innerEnded)
                {
                    return Finish();
                }

                var n = await _inner.ReadAsync(_input.AsMemory(0, _input.Length), cancellationToken).ConfigureAwait(false);
                OnInputRead(n);
                continue;
            }

            Decompress();
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (_dctx != IntPtr.Zero)
        {
            ZstdNative.FreeDCtx(_dctx);
            _dctx = IntPtr.Zero;
            if (disposing && !_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private bool TryCopyOut(Span<byte> destination, out int copied)
    {
        copied = Math.Min(destination.Length, _outputEnd - _outputStart);
        if (copied == 0)
        {
            return false;
        }

        _output.AsSpan(_outputStart, copied).CopyTo(destination);
        _outputStart += copied;
        _position += copied;
        return true;
    }

    private bool NeedsInput() => _inputStart == _inputEnd && !_outputWasFull;

    private void OnInputRead(int n)
    {
        if (n <= 0)
        {
            _innerEnded = true;
            return;
        }

        _inputStart = 0;
        _inputEnd = n;
        _sawInput = true;
    }

    private int Finish()
    {
        if (!_frameComplete || !_sawInput)
        {
            throw new InvalidDataException(_sawInput
                ? $"zstd stream truncated: it ends inside a frame at compressed offset {_compressedConsumed}"
                : "zstd stream is empty: no frame at compressed offset 0");
        }

        return 0;
    }

    private void Decompress()
    {
        var input = new ZstdNative.Buffer
        {
            Data = Marshal.UnsafeAddrOfPinnedArrayElement(_input, 0),
            Size = (nuint)_inputEnd,
            Position = (nuint)_inputStart,
        };
        var output = new ZstdNative.Buffer
        {
            Data = Marshal.UnsafeAddrOfPinnedArrayElement(_output, 0),
            Size = (nuint)_output.Length,
            Position = 0,
        };
        nuint result;
        try
        {
            result = ZstdNative.Check(ZstdNative.DecompressStream(_dctx, ref output, ref input), "decompression");
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{e.Message} (compressed offset {_compressedConsumed})", e);
        }

        _compressedConsumed += (long)input.Position - _inputStart;
        _inputStart = (int)input.Position;
        _outputStart = 0;
        _outputEnd = (int)output.Position;
        _outputWasFull = _outputEnd == _output.Length;
        _frameComplete = result == 0;
    }
}
