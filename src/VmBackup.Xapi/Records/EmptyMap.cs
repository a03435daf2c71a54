using System.Collections.ObjectModel;

namespace VmBackup.Xapi.Records;

/// <summary>The shared empty string map records start with.</summary>
internal static class EmptyMap
{
    public static readonly IReadOnlyDictionary<string, string> Instance = ReadOnlyDictionary<string, string>.Empty;
}
