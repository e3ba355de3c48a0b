/// Paths inside this repository, for tests that read the bundled configuration.
public enum RepositoryPaths {
    public static func root(file: String = #filePath) -> String {
        var parts = file.split(separator: "/", omittingEmptySubsequences: false)
        while let last = parts.last, last != "Tests" { parts.removeLast() }
        parts.removeLast()
        return parts.joined(separator: "/")
    }

    public static var conf: String { root() + "/conf" }
    public static var dialplan: String { root() + "/dialplan" }
}
