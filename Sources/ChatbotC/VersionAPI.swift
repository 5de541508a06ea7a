import ChatbotEngine

/// Version of the C interface (`CB_ABI_VERSION` in chatbot.h); bump on incompatible changes.
let abiVersion: Int32 = 1

/// The version as a C string, made once from `EngineVersion` so the two never disagree.
/// Lives for the whole process (never freed).
nonisolated(unsafe) private let versionCString: UnsafeMutablePointer<CChar> = {
    let bytes = Array(EngineVersion.string.utf8CString)
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
    p.initialize(from: bytes, count: bytes.count)
    return p
}()

@_cdecl("cb_version")
public func cb_version() -> UnsafePointer<CChar> {
    UnsafePointer(versionCString)
}

@_cdecl("cb_abi_version")
public func cb_abi_version() -> Int32 {
    abiVersion
}

@_cdecl("cb_status_string")
public func cb_status_string(_ status: Int32) -> UnsafePointer<CChar> {
    switch Status(rawValue: status) {
    case .ok: return staticCString("ok")
    case .invalidArgument: return staticCString("invalid argument")
    case .io: return staticCString("input/output error")
    case .invalidIndex: return staticCString("invalid index")
    case .invalidSource: return staticCString("invalid source")
    case .invalidUTF8: return staticCString("invalid UTF-8")
    case .outOfMemory: return staticCString("out of memory")
    case .internal: return staticCString("internal error")
    case .notFound: return staticCString("not found")
    case nil: return staticCString("unknown status")
    }
}

@_cdecl("cb_decision_string")
public func cb_decision_string(_ decision: Int32) -> UnsafePointer<CChar> {
    switch decision {
    case 0: return staticCString("answer")
    case 1: return staticCString("suggest")
    case 2: return staticCString("fallback")
    default: return staticCString("unknown")
    }
}

@_cdecl("cb_last_error")
public func cb_last_error() -> UnsafePointer<CChar> {
    LastError.current
}
