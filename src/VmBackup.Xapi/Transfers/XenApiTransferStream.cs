using System.Runtime.ExceptionServices;
using VmBackup.Xapi.Records;

namespace VmBackup.Xapi.Transfers;

/// <summary>
/// The body of an HTTP export (<c>/export</c>, <c>/export_raw_vdi</c>, …): read-only, forward-only, passed through to
/// the connection without extra copies (read with a large buffer, e.g. 1 MiB).
/// </summary>
/// <remarks>
/// <para>
/// <b>Completeness contract.</b> XAPI streams most exports without a <c>Content-Length</c> and ends them by closing the
/// connection, so a cut connection looks like a normal end. When the body ends, the stream therefore waits for the
/// transfer's task before it returns end-of-stream (<c>0</c>): a task that failed or was cancelled makes that final read
/// throw <see cref="XenApiException"/> (e.g. <c>VM_BAD_POWER_STATE</c>, <c>TASK_CANCELLED</c>); a broken connection
/// whose task did not fail throws <see cref="XenApiConnectionException"/>. A read returning <c>0</c> thus means the
/// export is complete and <see cref="IsCompleted"/> is <see langword="true"/>. After a failure every further read
/// rethrows it. <see cref="CompleteAsync"/> reads (and discards) what is left and applies the same check.
/// </para>
/// <para>
/// <b>Cancellation.</b> A cancelled read cancels the task (<c>task.cancel</c>), destroys it, releases the connection and
/// throws <see cref="OperationCanceledException"/>; disposing before the end does the same without throwing. The task
/// is destroyed in every case.
/// </para>
/// <para>Not thread-safe: one reader at a time.</para>
/// </remarks>
public sealed class XenApiTransferStream : Stream
{
    private readonly HttpClient _client;
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private readonly TransferTask _task;
    private readonly string _description;
    private readonly Uri _server;
    private readonly long _progressInterval;
    private long _bytes;
    private long _lastReported;
    private ExceptionDispatchInfo? _failure;
    private bool _completed;
    private bool _disposed;
    private bool _abandoned;

    internal XenApiTransferStream(HttpClient client, HttpResponseMessage response, Stream body, TransferTask task, string description, Uri server, long progressInterval)
    {
        _client = client;
        _response = response;
        _body = body;
        _task = task;
        _description = description;
        _server = server;
        _progressInterval = Math.Max(1, progressInterval);
        ContentLength = response.Content.Headers.ContentLength;
    }

    /// <summary>The task the server reports the export through (created by the client, destroyed at the end).</summary>
    public XenRef<TaskRecord> Task => _task.Ref;

    /// <summary>Bytes read so far.</summary>
    public long BytesTransferred => Volatile.Read(ref _bytes);

    /// <summary>The body length when the server announced one (e.g. <c>/export_metadata</c>); usually <see langword="null"/>.</summary>
    public long? ContentLength { get; }

    /// <summary>Receives <see cref="BytesTransferred"/> as the body is read (throttled, and once at the end). Set before reading.</summary>
    public IProgress<long>? Progress { get; set; }

    /// <summary>Whether the body was read to its end and the task succeeded.</summary>
    public bool IsCompleted => _completed;

    /// <inheritdoc />
    public override bool CanRead => !_disposed;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <summary>Not supported (see <see cref="ContentLength"/>).</summary>
    public override long Length => throw new NotSupportedException("An export stream has no known length; see ContentLength.");

    /// <summary>Bytes read so far; setting is not supported.</summary>
    public override long Position
    {
        get => BytesTransferred;
        set => throw new NotSupportedException("An export stream cannot seek.");
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (IsFinished() || buffer.IsEmpty)
        {
            return 0;
        }

        int read;
        try
        {
            read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await AbandonAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw await FailAsync(e, cancellationToken).ConfigureAwait(false);
        }

        if (read > 0)
        {
            Count(read);
            return read;
        }

        await FinishAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (IsFinished() || buffer.IsEmpty)
        {
            return 0;
        }

        int read;
        try
        {
            read = _body.Read(buffer);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw FailAsync(e, CancellationToken.None).GetAwaiter().GetResult();
        }

        if (read > 0)
        {
            Count(read);
            return read;
        }

        FinishAsync(CancellationToken.None).GetAwaiter().GetResult();
        return 0;
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>
    /// Ends the transfer: reads and discards any rest of the body, then checks the task (see the class remarks).
    /// Idempotent; after a failure it rethrows it.
    /// </summary>
    /// <exception cref="XenApiException">The export's task failed or was cancelled.</exception>
    /// <exception cref="XenApiConnectionException">The connection broke and the task did not report why.</exception>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            while (await ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("An export stream cannot seek.");

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException("An export stream is read-only.");

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("An export stream is read-only.");

    /// <summary>Releases the connection; before the end of the body, cancels and destroys the task. Never throws for the transfer's outcome.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await AbandonAsync().ConfigureAwait(false);
        _disposed = true;
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Human-readable description without the session reference.</summary>
    public override string ToString() => _description + " from " + _server.GetLeftPart(UriPartial.Authority) + " (" + BytesTransferred + " bytes read)";

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            AbandonAsync().GetAwaiter().GetResult();
            _disposed = true;
        }

        base.Dispose(disposing);
    }

    private bool IsFinished()
    {
        _failure?.Throw();
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_abandoned)
        {
            throw new InvalidOperationException("The transfer was cancelled; its task is cancelled and the connection closed.");
        }

        return _completed;
    }

    private void Count(int read)
    {
        var total = _bytes + read;
        Volatile.Write(ref _bytes, total);
        if (Progress is { } progress && total - _lastReported >= _progressInterval)
        {
            _lastReported = total;
            progress.Report(total);
        }
    }

    private async Task FinishAsync(CancellationToken cancellationToken)
    {
        ReleaseConnection();
        try
        {
            await _task.WaitAsync(_description, _server, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is XenApiException or XenApiConnectionException)
        {
            _failure = ExceptionDispatchInfo.Capture(e);
            throw;
        }
        catch (OperationCanceledException)
        {
            _abandoned = true; // the task was cancelled and destroyed
            throw;
        }

        _completed = true;
        if (Progress is { } progress && _lastReported != _bytes)
        {
            _lastReported = _bytes;
            progress.Report(_bytes);
        }
    }

    private async Task<Exception> FailAsync(Exception cause, CancellationToken cancellationToken)
    {
        ReleaseConnection();
        var fallback = new XenApiConnectionException(
            _description + " from " + _server.GetLeftPart(UriPartial.Authority) + " broke after " + _bytes + " bytes: " + cause.Message,
            TransferTask.Authority(_server),
            cause);
        Exception failure;
        try
        {
            failure = await _task.FailureAsync(fallback, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _abandoned = true;
            throw;
        }

        _failure = ExceptionDispatchInfo.Capture(failure);
        return failure;
    }

    private async Task AbandonAsync()
    {
        ReleaseConnection();
        if (!_completed && _failure is null)
        {
            _abandoned = true;
            await _task.AbandonAsync().ConfigureAwait(false);
        }
    }

    private void ReleaseConnection()
    {
        _body.Dispose();
        _response.Dispose();
        _client.Dispose();
    }
}
