/// The library's version, stored in every index file it writes.
public enum EngineVersion {
    public static let string = "0.1.0"
}
