using VmBackup.Core.Nau.Run;

namespace VmBackup.Core.Reporting;

/// <summary>One VM's result in a <see cref="RunReport"/>, taken from a <c>vm-export</c>/<c>vdi-export</c> end record.</summary>
/// <param name="Status">Success for <c>SUCCESS …</c>, warning for <c>WARNING …</c>, error for anything else.</param>
/// <param name="Component"><c>vm-export</c> or <c>vdi-export</c>.</param>
/// <param name="Detail">The record's detail, e.g. <c>SUCCESS web01,elapse:8 size:27G</c> or <c>ERROR vm-uuid not found web02</c>.</param>
public sealed record RunReportVmResult(NauVmStatus Status, string Component, string Detail);
