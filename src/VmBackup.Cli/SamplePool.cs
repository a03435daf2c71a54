namespace VmBackup.Cli;

/// <summary>The sample pool file (samples/sample-pool.json), embedded so that <c>vmbackup demo</c> needs no files.</summary>
internal static class SamplePool
{
    public static string ReadJson()
    {
        using var stream = typeof(SamplePool).Assembly.GetManifestResourceStream("VmBackup.Cli.sample-pool.json")
            ?? throw new InvalidOperationException("the embedded sample pool is missing from this build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
