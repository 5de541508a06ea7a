import CChatbotABI
import ChatbotEngine

// The header's enumerations and version, seen from Swift through the CChatbotABI clang
// module: every number below is chatbot.h's, none is retyped here.

/// Version of the C interface the library implements (`CB_ABI_VERSION`).
let abiVersion: Int32 = CB_ABI_VERSION

/// A `cb_status`, with Swift names for the C layer's code.
typealias Status = cb_status

extension cb_status {
    static let ok = CB_OK
    static let invalidArgument = CB_ERR_INVALID_ARGUMENT
    static let io = CB_ERR_IO
    static let invalidIndex = CB_ERR_INVALID_INDEX
    static let invalidSource = CB_ERR_INVALID_SOURCE
    static let invalidUTF8 = CB_ERR_INVALID_UTF8
    static let outOfMemory = CB_ERR_OUT_OF_MEMORY
    static let `internal` = CB_ERR_INTERNAL
    static let notFound = CB_ERR_NOT_FOUND

    /// The value a `cb_` function returns.
    var code: Int32 { Int32(bitPattern: rawValue) }
}

/// The `cb_decision` of a decision.
func decisionCode(_ d: Decision) -> Int32 {
    let c = switch d {
    case .answer: CB_DECISION_ANSWER
    case .suggest: CB_DECISION_SUGGEST
    case .fallback: CB_DECISION_FALLBACK
    }
    return Int32(bitPattern: c.rawValue)
}

/// A C enumeration value received as an `int`; negative values, which no enumerator has,
/// become values no enumerator has either.
func enumValue<E: RawRepresentable>(_ value: Int32, as: E.Type) -> E? where E.RawValue == UInt32 {
    E(rawValue: UInt32(bitPattern: value))
}
