namespace VmBackup.Repository.Nau;

/// <summary>
/// The marker files that make a NAUbackup backup folder count as successful. Any one of them is enough.
/// v3.25 writes only <see cref="Success"/> and <see cref="SuccessCompress"/>; the other two are written by NAU's
/// external tools (a restore tester and a server-side compressor).
/// </summary>
public enum NauSuccessMarker
{
    /// <summary><c>success</c>: the normal marker.</summary>
    Success,

    /// <summary><c>success_restore</c>: written by an external restore test.</summary>
    SuccessRestore,

    /// <summary><c>success_compress</c>: the data file is larger than 60 GiB and waits for server-side compression.</summary>
    SuccessCompress,

    /// <summary><c>success_compressing</c>: an external compressor is working on the data file.</summary>
    SuccessCompressing,
}
