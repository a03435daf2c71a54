using VmBackup.Xapi.Records;

namespace VmBackup.Xapi.Classes;

/// <summary>
/// The messages every XAPI class has: <c>get_all</c>, <c>get_all_records</c>, <c>get_record</c>, <c>get_by_uuid</c>,
/// field getters/setters and map add/remove. Methods are named <c>&lt;ClassName&gt;.&lt;message&gt;</c> and take the session first
/// (added by <see cref="XenApiSession"/>). Thread-safe.
/// </summary>
/// <typeparam name="TRecord">The record type of the class.</typeparam>
public abstract class XenClassApi<TRecord>
    where TRecord : IXenApiRecord<TRecord>
{
    private protected XenClassApi(XenApiSession session) => Session = session;

    private protected XenApiSession Session { get; }

    /// <summary><c>get_all</c>: every object of the class.</summary>
    public Task<IReadOnlyList<XenRef<TRecord>>> GetAllAsync(CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<XenRef<TRecord>>>("get_all", [], cancellationToken);

    /// <summary><c>get_all_records</c>: every object of the class with its record.</summary>
    public Task<IReadOnlyDictionary<XenRef<TRecord>, TRecord>> GetAllRecordsAsync(CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyDictionary<XenRef<TRecord>, TRecord>>("get_all_records", [], cancellationToken);

    /// <summary><c>get_record</c>. Throws <c>HANDLE_INVALID</c> for a stale reference.</summary>
    public Task<TRecord> GetRecordAsync(XenRef<TRecord> self, CancellationToken cancellationToken) =>
        CallAsync<TRecord>("get_record", [self], cancellationToken);

    /// <summary><c>get_by_uuid</c>. Throws <c>UUID_INVALID</c> when no object has that UUID.</summary>
    public Task<XenRef<TRecord>> GetByUuidAsync(string uuid, CancellationToken cancellationToken) =>
        CallAsync<XenRef<TRecord>>("get_by_uuid", [uuid], cancellationToken);

    /// <summary><c>get_uuid</c>.</summary>
    public Task<string> GetUuidAsync(XenRef<TRecord> self, CancellationToken cancellationToken) =>
        GetFieldAsync<string>(self, "uuid", cancellationToken);

    /// <summary><c>get_&lt;field&gt;</c>, converted to <typeparamref name="TValue"/> (the type XAPI declares for the field).</summary>
    public Task<TValue> GetFieldAsync<TValue>(XenRef<TRecord> self, string field, CancellationToken cancellationToken) =>
        CallAsync<TValue>("get_" + field, [self], cancellationToken);

    /// <summary><c>set_&lt;field&gt;</c>.</summary>
    public Task SetFieldAsync(XenRef<TRecord> self, string field, object? value, CancellationToken cancellationToken) =>
        CallVoidAsync("set_" + field, [self, value], cancellationToken);

    /// <summary><c>add_to_&lt;map&gt;</c>. XAPI refuses an existing key with <c>MAP_DUPLICATE_KEY</c>; see <see cref="SetMapEntryAsync"/>.</summary>
    public Task AddToMapAsync(XenRef<TRecord> self, string mapField, string key, string value, CancellationToken cancellationToken) =>
        CallVoidAsync("add_to_" + mapField, [self, key, value], cancellationToken);

    /// <summary><c>remove_from_&lt;map&gt;</c>; removing a missing key is not an error.</summary>
    public Task RemoveFromMapAsync(XenRef<TRecord> self, string mapField, string key, CancellationToken cancellationToken) =>
        CallVoidAsync("remove_from_" + mapField, [self, key], cancellationToken);

    /// <summary>Sets one map key by removing it then adding it (Xen Orchestra's way around <c>MAP_DUPLICATE_KEY</c>). Not atomic.</summary>
    public async Task SetMapEntryAsync(XenRef<TRecord> self, string mapField, string key, string value, CancellationToken cancellationToken)
    {
        await RemoveFromMapAsync(self, mapField, key, cancellationToken).ConfigureAwait(false);
        await AddToMapAsync(self, mapField, key, value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>get_other_config</c>.</summary>
    public Task<IReadOnlyDictionary<string, string>> GetOtherConfigAsync(XenRef<TRecord> self, CancellationToken cancellationToken) =>
        GetFieldAsync<IReadOnlyDictionary<string, string>>(self, "other_config", cancellationToken);

    /// <summary><c>set_other_config</c> (replaces the whole map).</summary>
    public Task SetOtherConfigAsync(XenRef<TRecord> self, IReadOnlyDictionary<string, string> value, CancellationToken cancellationToken) =>
        SetFieldAsync(self, "other_config", value, cancellationToken);

    /// <summary><c>add_to_other_config</c>.</summary>
    public Task AddToOtherConfigAsync(XenRef<TRecord> self, string key, string value, CancellationToken cancellationToken) =>
        AddToMapAsync(self, "other_config", key, value, cancellationToken);

    /// <summary><c>remove_from_other_config</c>.</summary>
    public Task RemoveFromOtherConfigAsync(XenRef<TRecord> self, string key, CancellationToken cancellationToken) =>
        RemoveFromMapAsync(self, "other_config", key, cancellationToken);

    /// <summary>Calls <c>&lt;ClassName&gt;.<paramref name="message"/></c>.</summary>
    private protected Task<T> CallAsync<T>(string message, object?[] args, CancellationToken cancellationToken) =>
        Session.CallAsync<T>(TRecord.ClassName + "." + message, args, cancellationToken);

    /// <summary>Calls <c>&lt;ClassName&gt;.<paramref name="message"/></c>, ignoring the result.</summary>
    private protected Task CallVoidAsync(string message, object?[] args, CancellationToken cancellationToken) =>
        Session.CallAsync(TRecord.ClassName + "." + message, args, cancellationToken);

    /// <summary>Starts <c>Async.&lt;ClassName&gt;.<paramref name="message"/></c>.</summary>
    private protected Task<XenRef<TaskRecord>> CallAsTaskAsync(string message, object?[] args, CancellationToken cancellationToken) =>
        Session.CallAsTaskAsync(TRecord.ClassName + "." + message, args, cancellationToken);
}
