using VmBackup.Xapi.Records;
using VmBackup.Xapi.Values;

namespace VmBackup.Xapi;

/// <content>The generic call API.</content>
public sealed partial class XenApiSession
{
    /// <summary>
    /// Calls a XenAPI method and converts its result to <typeparamref name="T"/>. The session reference is prepended
    /// to <paramref name="args"/> except for <c>system.*</c> and <c>session.login*</c> methods. On
    /// <c>SESSION_INVALID</c> the session logs in again once and repeats the call.
    /// </summary>
    /// <typeparam name="T">
    /// <see cref="object"/> for the raw value (<see langword="null"/>, <see cref="string"/>, <see cref="long"/>,
    /// <see cref="double"/>, <see cref="bool"/>, <see cref="DateTime"/>, <c>object?[]</c>,
    /// <c>IReadOnlyDictionary&lt;string, object?&gt;</c>); or <see cref="string"/>, <see cref="long"/>, <see cref="int"/>,
    /// <see cref="double"/>, <see cref="bool"/>, <see cref="DateTime"/> (UTC), <c>byte[]</c> (base64), XAPI enums,
    /// <see cref="XenRef{T}"/>, records, and lists/arrays/dictionaries of these.
    /// </typeparam>
    /// <param name="method">E.g. <c>VM.get_record</c>.</param>
    /// <param name="args">Arguments after the session: strings, integers, doubles, booleans, <see cref="DateTime"/>, refs, enums, lists, string-keyed dictionaries.</param>
    /// <param name="cancellationToken">Abandons the call (the server may still complete it).</param>
    /// <exception cref="XenApiException">XAPI reported an error.</exception>
    /// <exception cref="XenApiConnectionException">Transport failure.</exception>
    /// <exception cref="InvalidDataException">The result does not have the shape of <typeparamref name="T"/>.</exception>
    public async Task<T> CallAsync<T>(string method, object?[] args, CancellationToken cancellationToken)
    {
        var raw = await InvokeAsync(method, args, cancellationToken).ConfigureAwait(false);
        return XenValueConverter.Convert<T>(raw);
    }

    /// <summary>Calls a XenAPI method whose result is void (or ignored). Same rules as <see cref="CallAsync{T}"/>.</summary>
    public Task CallAsync(string method, object?[] args, CancellationToken cancellationToken) => InvokeAsync(method, args, cancellationToken);

    /// <summary>
    /// Starts <c>Async.<paramref name="method"/></c> and returns its task at once; wait for it with
    /// <see cref="WaitForTaskAsync(XenRef{TaskRecord}, CancellationToken)"/>.
    /// </summary>
    public Task<XenRef<TaskRecord>> CallAsTaskAsync(string method, object?[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        return CallAsync<XenRef<TaskRecord>>("Async." + method, args, cancellationToken);
    }

    /// <summary>
    /// Calls <paramref name="method"/> with another session of the same server as its first argument, through this
    /// session's connection (same TLS policy and protocol), e.g. the database session that <c>VDI.open_database</c>
    /// returns for disaster recovery. No re-login: that session belongs to the caller.
    /// </summary>
    /// <returns>The raw result: strings, numbers, booleans, <see cref="DateTime"/>, <c>object?[]</c> for sets and
    /// <c>IReadOnlyDictionary&lt;string, object?&gt;</c> for structs (int64 may arrive as strings over XML-RPC).</returns>
    public Task<object?> CallWithSessionAsync(string sessionRef, string method, object?[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionRef);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(args);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) == 2, this);
        return _channel.InvokeAsync(method, WithSession(sessionRef, args), cancellationToken);
    }

    internal async Task<object?> InvokeAsync(string method, object?[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(args);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) == 2, this);
        if (IsSessionless(method))
        {
            return await _channel.InvokeAsync(method, args, cancellationToken).ConfigureAwait(false);
        }

        if (Volatile.Read(ref _state) != 0)
        {
            throw new InvalidOperationException("The XenAPI session is logged out.");
        }

        var sessionId = SessionId;
        try
        {
            return await _channel.InvokeAsync(method, WithSession(sessionId, args), cancellationToken).ConfigureAwait(false);
        }
        catch (XenApiException e) when (e.ErrorCode == XenApiErrorCodes.SessionInvalid && _password is not null && Volatile.Read(ref _state) == 0)
        {
            await ReloginAsync(sessionId, cancellationToken).ConfigureAwait(false);
            return await _channel.InvokeAsync(method, WithSession(SessionId, args), cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsSessionless(string method) =>
        method.StartsWith("system.", StringComparison.Ordinal)
        || method.StartsWith("session.login", StringComparison.Ordinal)
        || method.StartsWith("session.slave_login", StringComparison.Ordinal);

    private static object?[] WithSession(string sessionId, object?[] args)
    {
        var result = new object?[args.Length + 1];
        result[0] = sessionId;
        args.CopyTo(result, 1);
        return result;
    }
}
