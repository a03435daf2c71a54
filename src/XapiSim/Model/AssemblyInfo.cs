using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("XapiSim.Tests")]
[assembly: InternalsVisibleTo("VmBackup.TestKit")]
