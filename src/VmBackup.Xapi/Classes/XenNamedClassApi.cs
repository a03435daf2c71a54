namespace VmBackup.Xapi.Classes;

/// <summary>The messages of XAPI classes that have <c>name_label</c>/<c>name_description</c>.</summary>
/// <typeparam name="TRecord">The record type of the class.</typeparam>
public abstract class XenNamedClassApi<TRecord> : XenClassApi<TRecord>
    where TRecord : IXenApiRecord<TRecord>
{
    private protected XenNamedClassApi(XenApiSession session)
        : base(session)
    {
    }

    /// <summary><c>get_by_name_label</c>: every object with exactly that label (possibly none).</summary>
    public Task<IReadOnlyList<XenRef<TRecord>>> GetByNameLabelAsync(string label, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<XenRef<TRecord>>>("get_by_name_label", [label], cancellationToken);

    /// <summary><c>get_name_label</c>.</summary>
    public Task<string> GetNameLabelAsync(XenRef<TRecord> self, CancellationToken cancellationToken) =>
        GetFieldAsync<string>(self, "name_label", cancellationToken);

    /// <summary><c>set_name_label</c>.</summary>
    public Task SetNameLabelAsync(XenRef<TRecord> self, string value, CancellationToken cancellationToken) =>
        SetFieldAsync(self, "name_label", value, cancellationToken);

    /// <summary><c>get_name_description</c>.</summary>
    public Task<string> GetNameDescriptionAsync(XenRef<TRecord> self, CancellationToken cancellationToken) =>
        GetFieldAsync<string>(self, "name_description", cancellationToken);

    /// <summary><c>set_name_description</c>.</summary>
    public Task SetNameDescriptionAsync(XenRef<TRecord> self, string value, CancellationToken cancellationToken) =>
        SetFieldAsync(self, "name_description", value, cancellationToken);
}
