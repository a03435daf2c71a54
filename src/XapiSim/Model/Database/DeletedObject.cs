namespace XapiSim.Model.Database;

/// <summary>A tombstone kept so that <c>event.from</c> can report <c>del</c>.</summary>
internal sealed record DeletedObject(string ClassName, string Ref, long Created, long Deleted);
