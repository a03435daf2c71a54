namespace XapiSim.Model.Database;

/// <summary>
/// One change reported by <see cref="PoolDatabase.ChangesSince"/>: an object added, modified or deleted after a
/// generation. <see cref="Snapshot"/> is the current record (null for <c>del</c>).
/// </summary>
public sealed record ObjectChange(string ClassName, string Ref, string Operation, long Generation, IReadOnlyDictionary<string, object>? Snapshot);
