using System.Runtime.InteropServices;
using VmBackup.Formats.Streams;

namespace VmBackup.Formats.Compression;

/// <summary>
/// A write-only stream that zstd-compresses everything written to it into an inner stream, using the system
/// <c>libzstd.so.1</c>. Disposing (or <see cref="DisposeAsync"/>) ends the frame; <see cref="Flush"/> flushes a block.
/// Not thread-safe.
/// </summary>
public sealed class ZstdCompressionStream : ForwardOnlyWriteStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly byte[] _input;
    private readonly byte[] _output;
    private IntPtr _cctx;
    private long _written;

    /// <summary>Creates a compressing stream.</summary>
    /// <param name="inner">Where compressed bytes go.</param>
    /// <param name="level">zstd level (1-19; 3 is zstd's default).</param>
    /// <param name="workers">zstd worker threads (0 = single-threaded, compress in the caller's thread).</param>
    /// <param name="leaveOpen">Leave <paramref name="inner"/> open when this stream is disposed.</param>
    /// <exception cref="ZstdUnavailableException">libzstd.so.1 is missing.</exception>
    public ZstdCompressionStream(Stream inner, int level = 3, int workers = 0, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ZstdNative.EnsureAvailable();
        _inner = inner;
        _leaveOpen = leaveOpen;
        _cctx = ZstdNative.CreateCCtx();
        if (_cctx == IntPtr.Zero)
        {
            throw new OutOfMemoryException("ZSTD_createCCtx failed");
        }

        ZstdNative.Check(ZstdNative.SetParameter(_cctx, ZstdNative.CompressionLevelParameter, level), "set level");
        ZstdNative.Check(ZstdNative.SetParameter(_cctx, ZstdNative.ChecksumFlagParameter, 1), "set checksum flag");
        if (workers > 0)
        {
            ZstdNative.Check(ZstdNative.SetParameter(_cctx, ZstdNative.NbWorkersParameter, workers), "set nbWorkers");
        }

        _input = GC.AllocateUninitializedArray<byte>(128 * 1024, pinned: true);
        _output = GC.AllocateUninitializedArray<byte>((int)Math.Max(ZstdNative.CStreamOutSize(), 64 * 1024), pinned: true);
    }

    /// <summary>Uncompressed bytes written so far.</summary>
    public long UncompressedLength => _written;

    /// <inheritdoc />
    public override bool CanWrite => _cctx != IntPtr.Zero;

    /// <inheritdoc />
    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_cctx == IntPtr.Zero, this);
        while (!buffer.IsEmpty)
        {
            var n = Math.Min(buffer.Length, _input.Length);
            buffer[..n].CopyTo(_input);
            buffer = buffer[n..];
            _written += n;
            var pending = (0, n);
            while (pending.Item1 < pending.Item2)
            {
                var produced = Step(ref pending, ZstdNative.EndDirectiveContinue, out _);
                if (produced > 0)
                {
                    _inner.Write(_output, 0, produced);
                }
            }
        }
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_cctx == IntPtr.Zero, this);
        while (!buffer.IsEmpty)
        {
            var n = Math.Min(buffer.Length, _input.Length);
            buffer.Span[..n].CopyTo(_input);
            buffer = buffer[n..];
            _written += n;
            var pending = (0, n);
            while (pending.Item1 < pending.Item2)
            {
                var produced = Step(ref pending, ZstdNative.EndDirectiveContinue, out _);
                if (produced > 0)
                {
                    await _inner.WriteAsync(_output.AsMemory(0, produced), cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
        if (_cctx == IntPtr.Zero)
        {
            return;
        }

        Drain(ZstdNative.EndDirectiveFlush);
        _inner.Flush();
    }

    /// <inheritdoc />
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_cctx == IntPtr.Zero)
        {
            return;
        }

        await DrainAsync(ZstdNative.EndDirectiveFlush, cancellationToken).ConfigureAwait(false);
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (_cctx != IntPtr.Zero)
        {
            try
            {
                if (disposing)
                {
                    Drain(ZstdNative.EndDirectiveEnd);
                    _inner.Flush();
                }
            }
            finally
            {
                Free();
                if (disposing && !_leaveOpen)
                {
                    _inner.Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (_cctx != IntPtr.Zero)
        {
            try
            {
                await DrainAsync(ZstdNative.EndDirectiveEnd, CancellationToken.None).ConfigureAwait(false);
                await _inner.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                Free();
                if (!_leaveOpen)
                {
                    await _inner.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void Free()
    {
        ZstdNative.FreeCCtx(_cctx);
        _cctx = IntPtr.Zero;
    }

    private void Drain(int directive)
    {
        var pending = (0, 0);
        nuint remaining;
        do
        {
            var produced = Step(ref pending, directive, out remaining);
            if (produced > 0)
            {
                _inner.Write(_output, 0, produced);
            }
        }
        while (remaining != 0);
    }

    private async ValueTask DrainAsync(int directive, CancellationToken cancellationToken)
    {
        var pending = (0, 0);
        nuint remaining;
        do
        {
            var produced = Step(ref pending, directive, out remaining);
            if (produced > 0)
            {
                await _inner.WriteAsync(_output.AsMemory(0, produced), cancellationToken).ConfigureAwait(false);
            }
        }
        while (remaining != 0);
    }

    /// <summary>One ZSTD_compressStream2 call over _input[start..end]; returns the bytes produced into _output.</summary>
    private int Step(ref (int Start, int End) pending, int directive, out nuint remaining)
    {
        var input = new ZstdNative.Buffer
        {
            Data = Marshal.UnsafeAddrOfPinnedArrayElement(_input, 0),
            Size = (nuint)pending.End,
            Position = (nuint)pending.Start,
        };
        var output = new ZstdNative.Buffer
        {
            Data = Marshal.UnsafeAddrOfPinnedArrayElement(_output, 0),
            Size = (nuint)_output.Length,
            Position = 0,
        };
        remaining = ZstdNative.Check(ZstdNative.CompressStream2(_cctx, ref output, ref input, directive), "compression");
        pending.Start = (int)input.Position;
        return (int)output.Position;
    }
}
