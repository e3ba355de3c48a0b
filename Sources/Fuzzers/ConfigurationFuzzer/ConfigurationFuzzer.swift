// libFuzzer entry point for the XML configuration loader: `scripts/fuzz config`. A normal build
// makes a stub that says so; `-D FUZZING` (with -sanitize=fuzzer) makes the fuzz target.
#if FUZZING
import FuzzerDriver
import Configuration
import Foundation

/// The first byte picks which file of a small tree the rest becomes (distributor.conf, a
/// profile, a gateway, the ACLs, vars.xml or a dialplan); the whole loader then runs on the
/// tree: libxml2, the pre-processor (includes, set, $${}), and every typed reader. Whatever
/// the input, loading must finish with a configuration and diagnostics, not a crash.
private let tree = NSTemporaryDirectory() + "distributor-fuzz-\(getpid())"
private let files = [
    "conf/autoload_configs/distributor.conf.xml",
    "conf/sip_profiles/external.xml",
    "conf/sip_profiles/external/gw1.xml",
    "conf/autoload_configs/acl.conf.xml",
    "conf/vars.xml",
    "dialplan/default.xml",
    "conf/autoload_configs/event_socket.conf.xml",
    "conf/autoload_configs/metrics.conf.xml",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfiguration(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let file = files[Int(data[0]) % files.count]
    try? FileManager.default.removeItem(atPath: tree)
    for directory in ["conf/autoload_configs", "conf/sip_profiles/external", "dialplan"] {
        try? FileManager.default.createDirectory(atPath: tree + "/" + directory, withIntermediateDirectories: true)
    }
    FileManager.default.createFile(atPath: tree + "/" + file, contents: Data(UnsafeBufferPointer(start: data + 1, count: size - 1)))
    let configuration = ConfigurationLoader(configurationDirectory: tree + "/conf", dialplanDirectory: tree + "/dialplan").load()
    for diagnostic in configuration.diagnostics { _ = diagnostic.description }
    return 0
}

// SwiftPM links an executable's entry point as `ConfigurationFuzzer_main`; here it hands over to libFuzzer.
@_cdecl("ConfigurationFuzzer_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv, fuzzConfiguration)
}
#else
@main enum ConfigurationFuzzer {
    static func main() {
        print("This is the configuration loader's fuzz target stub; run scripts/fuzz config to fuzz.")
    }
}
#endif
