using System.Globalization;
using VmBackup.Xapi;

namespace VmBackup.Core.Dr;

/// <summary>
/// A session opened by <c>VDI.open_database</c>: its getters read the replicated database of the lost pool. It is a
/// second session ref on the live pool, used through the live session's connection
/// (<see cref="XenApiSession.CallWithSessionAsync"/>).
/// </summary>
internal sealed class DrDatabaseSession : IAsyncDisposable
{
    private readonly XenApiSession _live;
    private readonly string _ref;

    private DrDatabaseSession(XenApiSession live, string sessionRef)
    {
        _live = live;
        _ref = sessionRef;
    }

    /// <summary>Opens the database held by the metadata VDI <paramref name="metadataVdi"/>.</summary>
    public static async Task<DrDatabaseSession> OpenAsync(XenApiSession live, string metadataVdi, CancellationToken cancellationToken)
    {
        var sessionRef = await live.CallAsync<string>("VDI.open_database", [metadataVdi], cancellationToken).ConfigureAwait(false);
        return new DrDatabaseSession(live, sessionRef);
    }

    /// <summary>Calls <paramref name="method"/> with the database session; returns the raw value (see <see cref="XenApiSession.CallWithSessionAsync"/>).</summary>
    public Task<object?> CallAsync(string method, object?[] args, CancellationToken cancellationToken) =>
        _live.CallWithSessionAsync(_ref, method, args, cancellationToken);

    /// <summary>Every record of class <typeparamref name="T"/> in the database, by ref.</summary>
    public async Task<IReadOnlyDictionary<string, T>> GetAllRecordsAsync<T>(CancellationToken cancellationToken)
        where T : IXenApiRecord<T>
    {
        var raw = Struct(await CallAsync(T.ClassName + ".get_all_records", [], cancellationToken).ConfigureAwait(false));
        return raw.ToDictionary(kv => kv.Key, kv => T.FromStruct(Struct(kv.Value)), StringComparer.Ordinal);
    }

    /// <summary>Calls a method returning a set of refs.</summary>
    public async Task<IReadOnlyList<string>> CallForRefsAsync(string method, object?[] args, CancellationToken cancellationToken)
    {
        var raw = await CallAsync(method, args, cancellationToken).ConfigureAwait(false);
        return raw is object?[] items ? items.Select(item => Convert.ToString(item, CultureInfo.InvariantCulture) ?? string.Empty).ToList() : [];
    }

    /// <summary>Logs the database session out (best effort).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await CallAsync("session.logout", [], timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is XenApiException or XenApiConnectionException or OperationCanceledException or InvalidDataException)
        {
            // The session dies with the pool anyway.
        }
    }

    /// <summary>The raw struct <paramref name="raw"/> as a field map.</summary>
    public static IReadOnlyDictionary<string, object?> Struct(object? raw) =>
        raw as IReadOnlyDictionary<string, object?> ?? throw new InvalidDataException("expected an XML-RPC struct, found " + Convert.ToString(raw, CultureInfo.InvariantCulture));
}
