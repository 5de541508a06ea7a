import CChatbotABI
import ChatbotEngine

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
    switch enumValue(status, as: cb_status.self) {
    case CB_OK: return staticCString("ok")
    case CB_ERR_INVALID_ARGUMENT: return staticCString("invalid argument")
    case CB_ERR_IO: return staticCString("input/output error")
    case CB_ERR_INVALID_INDEX: return staticCString("invalid index")
    case CB_ERR_INVALID_SOURCE: return staticCString("invalid source")
    case CB_ERR_INVALID_UTF8: return staticCString("invalid UTF-8")
    case CB_ERR_OUT_OF_MEMORY: return staticCString("out of memory")
    case CB_ERR_INTERNAL: return staticCString("internal error")
    case CB_ERR_NOT_FOUND: return staticCString("not found")
    default: return staticCString("unknown status")
    }
}

@_cdecl("cb_decision_string")
public func cb_decision_string(_ decision: Int32) -> UnsafePointer<CChar> {
    switch enumValue(decision, as: cb_decision.self) {
    case CB_DECISION_ANSWER: return staticCString("answer")
    case CB_DECISION_SUGGEST: return staticCString("suggest")
    case CB_DECISION_FALLBACK: return staticCString("fallback")
    default: return staticCString("unknown")
    }
}

@_cdecl("cb_last_error")
public func cb_last_error() -> UnsafePointer<CChar> {
    LastError.current
}
