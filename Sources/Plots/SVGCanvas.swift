import ChatbotEngine

/// The frame every chart shares: an SVG 1.1 document of a fixed size on a white background,
/// a bold title and an optional grey subtitle, and text escaped for XML.
///
/// Hand-written SVG (no script, no external font or stylesheet) so that a chart renders the
/// same in browsers, `rsvg-convert` and document tools.
struct SVGCanvas {
    static let font = "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\""
    let width: Double
    let height: Double
    /// The document so far; append elements, then take ``finished``.
    var body: String

    init(width: Double, height: Double, title: String, subtitle: String, titleX: Double) {
        self.width = width
        self.height = height
        body = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))">

        """
        body += "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#ffffff\"/>\n"
        body += "<text x=\"\(Self.number(titleX))\" y=\"32\" \(Self.font) font-size=\"18\" font-weight=\"bold\" fill=\"#222222\">\(Self.escaped(title))</text>\n"
        if !subtitle.isEmpty {
            body += "<text x=\"\(Self.number(titleX))\" y=\"54\" \(Self.font) font-size=\"12.5\" fill=\"#666666\">\(Self.escaped(subtitle))</text>\n"
        }
    }

    /// The closed document.
    var finished: String { body + "</svg>\n" }

    /// A `<line>` element (own line), with extra `attributes` such as a stroke.
    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, attributes: String = "") -> String {
        "<line x1=\"\(number(x1))\" y1=\"\(number(y1))\" x2=\"\(number(x2))\" y2=\"\(number(y2))\"\(attributes.isEmpty ? "" : " " + attributes)/>\n"
    }

    /// A coordinate, with one decimal: finer than a pixel, short enough to keep files small.
    static func number(_ v: Double) -> String { formatFixed(v, 1) }

    /// Text content escaped for XML; control characters, which XML 1.0 forbids, become spaces.
    static func escaped(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                if c.value < 0x20 && c != "\t" && c != "\n" { out += " " } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}
