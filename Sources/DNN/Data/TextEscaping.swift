/// Text from files (class names, feature names, identifiers, cell values) made safe for where it
/// is shown: a terminal, XML (SVG) or HTML. JSON needs nothing here: Foundation's encoder escapes
/// every control character itself.

/// `text` with every character that could act on a terminal written out visibly instead: the C0
/// controls (ESC, BEL, CR, …; tab and line feed included, as a name never holds one), DEL, the C1
/// controls, and the bidirectional overrides that reorder what is shown. Each becomes `\u{1B}`,
/// its scalar in hexadecimal; everything else, any other Unicode text included, is kept.
public func terminalSafe(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isTerminalControl) else { return text }
    var safe = ""
    for scalar in text.unicodeScalars {
        if isTerminalControl(scalar) {
            safe += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        } else {
            safe.unicodeScalars.append(scalar)
        }
    }
    return safe
}

/// Whether a terminal could act on `scalar` rather than show it.
private func isTerminalControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
    default: false
    }
}

/// Text made safe to put inside XML or HTML, as element content or a quoted attribute: `&`, `<`,
/// `>`, `"` and `'` as entities, and the characters XML 1.0 does not allow at all (the C0
/// controls but tab, line feed and carriage return; U+FFFE and U+FFFF), and the other terminal
/// controls, written out as `\u{1B}` as `terminalSafe` does.
func escapeXML(_ text: String) -> String {
    var escaped = ""
    for scalar in terminalSafe(text).unicodeScalars {
        switch scalar {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&#39;"
        case "\u{FFFE}", "\u{FFFF}": escaped += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        default: escaped.unicodeScalars.append(scalar)
        }
    }
    return escaped
}
