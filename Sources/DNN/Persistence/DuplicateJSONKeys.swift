import Foundation

/// Finds a key given twice in one JSON object.
///
/// JSON leaves duplicate names undefined (RFC 8259 §4) and Foundation's decoders keep one of them
/// silently, so a model file with two `"version"` keys would be read by whichever one wins. This
/// pass walks the text once, keeping the keys of each object still open, and reports the first
/// repeat. It expects text that has already parsed as JSON; it does not check the grammar.
enum DuplicateJSONKeys {
    /// The first key that an object names twice, with the path of the object holding it
    /// (`"parameters[2]"`, or `""` for the outermost object); nil when every key is unique.
    static func first(in data: Data) -> (key: String, path: String)? {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in first(in: buffer.bindMemory(to: UInt8.self)) }
    }

    /// An object or array still open, outermost first.
    private enum Scope {
        /// An object: the keys seen so far, and the key it was reached through.
        case object(keys: Set<String>, name: String)
        /// An array: the index of the element being read, and the key it was reached through.
        case array(index: Int, name: String)
    }

    private static func first(in bytes: UnsafeBufferPointer<UInt8>) -> (key: String, path: String)? {
        let (quote, backslash, colon, comma) = (
            UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: ":"), UInt8(ascii: ",")
        )
        var scopes = [Scope]()
        var lastKey = ""  // the key whose value comes next
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "{"):
                scopes.append(.object(keys: [], name: lastKey))
            case UInt8(ascii: "["):
                scopes.append(.array(index: 0, name: lastKey))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = scopes.popLast()
            case comma:
                if case .array(let index, let name) = scopes.last {
                    scopes[scopes.count - 1] = .array(index: index + 1, name: name)
                }
            case quote:
                let start = i
                var escaped = false
                i += 1
                while i < bytes.count, !(bytes[i] == quote && !escaped) {
                    escaped = bytes[i] == backslash && !escaped
                    i += 1
                }
                // A string followed by a colon is a key of the innermost object.
                var next = i + 1
                while next < bytes.count, isWhitespace(bytes[next]) { next += 1 }
                guard next < bytes.count, bytes[next] == colon, case .object(var keys, let name) = scopes.last else {
                    break
                }
                let key = decodedString(UnsafeBufferPointer(rebasing: bytes[start...min(i, bytes.count - 1)]))
                guard keys.insert(key).inserted else { return (key, path(of: scopes)) }
                scopes[scopes.count - 1] = .object(keys: keys, name: name)
                lastKey = key
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// JSON's whitespace: space, tab, line feed, carriage return.
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// A quoted JSON string's value; escapes are left to Foundation, which reads them exactly.
    private static func decodedString(_ quoted: UnsafeBufferPointer<UInt8>) -> String {
        let inner = quoted.dropFirst().dropLast()
        if !inner.contains(UInt8(ascii: "\\")) { return String(decoding: inner, as: UTF8.self) }
        return (try? JSONDecoder().decode(String.self, from: Data(quoted))) ?? String(decoding: inner, as: UTF8.self)
    }

    /// Where the innermost object sits: `parameters[2]` for the third element of `parameters`.
    private static func path(of scopes: [Scope]) -> String {
        var path = ""
        for (depth, scope) in scopes.enumerated() where depth > 0 {
            switch scope {
            case .object(_, let name):
                if case .array = scopes[depth - 1] { continue }
                path += path.isEmpty ? name : ".\(name)"
            case .array(let index, let name):
                if case .object = scopes[depth - 1] { path += path.isEmpty ? name : ".\(name)" }
                path += "[\(index)]"
            }
        }
        return path
    }
}
