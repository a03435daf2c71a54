namespace VmBackup.Core.Nau.CommandLine;

/// <summary>Which usage texts to print; several may be combined and print in the order help, config, example.</summary>
[Flags]
public enum NauUsageTopics
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary><c>Usage-basic:</c> (too few arguments).</summary>
    Basic = 1,

    /// <summary><c>Usage-help:</c> (the word <c>help</c>).</summary>
    Help = 2,

    /// <summary><c>Usage-config-file:</c> (the word <c>config</c>).</summary>
    Config = 4,

    /// <summary><c>Usage-examples:</c> (the word <c>example</c>).</summary>
    Example = 8,
}
