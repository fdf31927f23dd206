import Foundation

/// A number for `JSONSerialization`: itself when finite; null when non-finite or absent (JSON has
/// no inf or NaN), as every `--json` object and every evaluation's `json()` write them.
public func jsonNumber(_ x: Double?) -> Any {
    x.map { $0.isFinite ? $0 as Any : NSNull() } ?? NSNull()
}
