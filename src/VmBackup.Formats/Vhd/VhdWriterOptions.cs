namespace VmBackup.Formats.Vhd;

/// <summary>Options of <see cref="VhdWriter"/>.</summary>
public sealed record VhdWriterOptions
{
    /// <summary>Footer unique id. <value>The default (null) is a new random UUID.</value></summary>
    public Guid? UniqueId { get; init; }

    /// <summary>Footer timestamp, seconds since 2000-01-01 UTC. <value>The default is 0, as XAPI writes.</value></summary>
    public uint Timestamp { get; init; }

    /// <summary>Footer creator application. <value>The default is <c>caml</c>, as XAPI writes.</value></summary>
    public string CreatorApplication { get; init; } = "caml";
}
