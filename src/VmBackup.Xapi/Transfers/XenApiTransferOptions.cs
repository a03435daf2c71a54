namespace VmBackup.Xapi.Transfers;

/// <summary>Tuning of <see cref="XenApiTransfers"/>. Immutable; the defaults suit XAPI.</summary>
public sealed record XenApiTransferOptions
{
    /// <summary>How many <c>302 Found</c> answers (XAPI sends one when another host must serve the transfer) are followed.</summary>
    /// <value>The default value is 3.</value>
    public int MaxRedirects { get; init; } = 3;

    /// <summary>Size of the pooled buffer an upload is copied through.</summary>
    /// <value>The default value is 1 MiB.</value>
    public int UploadBufferSize { get; init; } = 1 << 20;

    /// <summary>
    /// How long an upload waits for the response headers before it starts sending the body anyway
    /// (<c>Expect: 100-continue</c>). XAPI answers <c>200</c> (or a redirect or an error) before it reads the body, so
    /// the body normally starts as soon as the headers arrive; a redirect that arrives before the body started needs no
    /// rewind of the source stream.
    /// </summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan HeadersBeforeBodyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long to wait for the transfer's task to finish once the body has ended (or the server answered an
    /// error). A task still pending after that is cancelled and the transfer fails with <see cref="XenApiConnectionException"/>.
    /// </summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan TaskCompletionTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Progress is reported every time at least this many more bytes were transferred, and at the end.</summary>
    /// <value>The default value is 1 MiB.</value>
    public long ProgressInterval { get; init; } = 1 << 20;
}
