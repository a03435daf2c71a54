namespace XapiSim.PoolFile;

/// <summary>A pool file that cannot be used. <see cref="Exception.Message"/> is <c>path: problem</c>, e.g. <c>vms[2].disks[0].sr: no SR named "Fast"</c>.</summary>
public sealed class PoolFileException : Exception
{
    public PoolFileException(string path, string problem)
        : base(path.Length == 0 ? problem : path + ": " + problem)
    {
        Path = path;
        Problem = problem;
    }

    public PoolFileException()
        : this(string.Empty, "invalid pool file")
    {
    }

    public PoolFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = string.Empty;
        Problem = message;
    }

    /// <summary>Where in the file, e.g. <c>vms[2].disks[0].sr</c> (empty for the whole file).</summary>
    public string Path { get; } = string.Empty;

    /// <summary>What is wrong.</summary>
    public string Problem { get; } = string.Empty;
}
