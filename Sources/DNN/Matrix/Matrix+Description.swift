import Foundation

// Printing the way numpy (1.14 and later) prints a float64 array with `print(a)`, so our output can
// be held next to the course's: 8 significant decimals at most, trailing zeros trimmed, columns
// aligned, lines wrapped at 75 characters, and arrays over 1000 elements summarised with `...`.
// This follows numpy's `arrayprint.FloatingFormat` and `_formatArray`.

extension Matrix: CustomStringConvertible {
    /// The matrix as numpy prints it: `[[ 3.26295337 -1.23429987]]`.
    public var description: String { NumPyArrayFormatter(self).string }
}

/// numpy's `array2string` for a 2-D float64 array with the default print options.
struct NumPyArrayFormatter {
    static let precision = 8
    static let lineWidth = 75
    static let threshold = 1000
    static let edgeItems = 3

    let matrix: Matrix
    let summarise: Bool
    private let exponential: Bool
    private var padLeft = 0
    private var padRight = 0
    /// Fraction digits of every mantissa in exponential mode.
    private var mantissaDigits = 0
    /// Minimum number of exponent digits in exponential mode.
    private var exponentDigits = 2

    init(_ matrix: Matrix) {
        self.matrix = matrix
        let summarise = matrix.scalars.count > Self.threshold
        self.summarise = summarise
        // As numpy does, only the elements that are shown decide the format.
        let shown = Self.shownIndices(matrix.rows, summarise).flatMap { i in
            Self.shownIndices(matrix.cols, summarise).map { j in matrix.scalars[i * matrix.cols + j] }
        }
        let finite = shown.filter { $0.isFinite }
        let magnitudes = finite.filter { $0 != 0 }.map { abs($0) }
        if let maxValue = magnitudes.max(), let minValue = magnitudes.min() {
            exponential = maxValue >= 1e8 || minValue < 1e-4 || maxValue / minValue > 1000
        } else {
            exponential = false
        }
        if exponential {
            let parts = finite.map { Self.scientific($0, maxFractionDigits: Self.precision) }
            mantissaDigits = parts.map { $0.fraction.count }.max() ?? 0
            // numpy writes at least two exponent digits (`1.e-05`).
            exponentDigits = max(2, parts.map { $0.exponentDigits.count }.max() ?? 2)
            padLeft = parts.map { $0.integer.count }.max() ?? 0
            padRight = exponentDigits + 2 + mantissaDigits
        } else {
            let parts = finite.map { Self.positional($0, maxFractionDigits: Self.precision) }
            padLeft = parts.map { $0.integer.count }.max() ?? 0
            padRight = parts.map { $0.fraction.count }.max() ?? 0
        }
        if finite.count != shown.count {
            let negativeInfinity = shown.contains { $0 == -.infinity } ? 1 : 0
            padLeft = max(padLeft, 3 - (padRight + 1), 3 + negativeInfinity - (padRight + 1))
        }
    }

    /// Indices along an axis of size `n` that are printed: all, or the 3 first and 3 last.
    private static func shownIndices(_ n: Int, _ summarise: Bool) -> [Int] {
        summarise && n > 2 * edgeItems ? Array(0..<edgeItems) + Array(n - edgeItems..<n) : Array(0..<n)
    }

    /// One element, padded to the common width.
    func format(_ x: Double) -> String {
        if !x.isFinite {
            let text = x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf")
            return String(repeating: " ", count: max(0, padLeft + padRight + 1 - text.count)) + text
        }
        if exponential {
            let p = Self.scientific(x, maxFractionDigits: mantissaDigits)
            let fraction = p.fraction.padding(toLength: mantissaDigits, withPad: "0", startingAt: 0)
            let digits =
                String(repeating: "0", count: max(0, exponentDigits - p.exponentDigits.count))
                + p.exponentDigits
            return leftPadded(p.integer) + "." + fraction + "e" + p.exponentSign + digits
        }
        let p = Self.positional(x, maxFractionDigits: Self.precision)
        return leftPadded(p.integer) + "." + p.fraction.padding(toLength: padRight, withPad: " ", startingAt: 0)
    }

    private func leftPadded(_ s: String) -> String {
        String(repeating: " ", count: max(0, padLeft - s.count)) + s
    }

    /// The whole array, rows on their own lines, long rows wrapped.
    var string: String {
        let rowPrefix = "  "
        let elementWidth = Self.lineWidth - 1 - 1  // less the outer "]" and this row's "]"
        let rowIndices = Self.shownIndices(matrix.rows, summarise)
        let colIndices = Self.shownIndices(matrix.cols, summarise)
        func formatRow(_ i: Int) -> String {
            var words = colIndices.map { format(matrix.scalars[i * matrix.cols + $0]) }
            if colIndices.count < matrix.cols { words.insert("...", at: Self.edgeItems) }
            var text = "", line = rowPrefix
            for (n, word) in words.enumerated() {
                if line.count + word.count > elementWidth && line.count > rowPrefix.count {
                    text += line.trimmingTrailingSpaces() + "\n"
                    line = rowPrefix
                }
                line += word
                if n < words.count - 1 { line += " " }
            }
            text += line
            return "[" + text.dropFirst(rowPrefix.count) + "]"
        }
        var lines = rowIndices.map(formatRow)
        if rowIndices.count < matrix.rows { lines.insert("...", at: Self.edgeItems) }
        return "[" + lines.joined(separator: "\n ") + "]"
    }

    // MARK: Digits

    /// A number split as numpy's Dragon4 prints it: sign and integer part, fraction digits, and
    /// (scientific form only) the exponent.
    struct Parts {
        var integer: String
        var fraction: String
        var exponentSign = "+"
        var exponentDigits = ""
    }

    /// Shortest round-trip digits of |x| as (digits, exponent): |x| = d₀.d₁d₂… × 10^exponent,
    /// trailing zeros removed. Swift's `description` gives the shortest representation, as
    /// numpy's Dragon4 does in its `unique` mode.
    static func shortestDigits(_ x: Double) -> (digits: [Character], exponent: Int) {
        if x == 0 { return (["0"], 0) }
        let text = abs(x).description
        let pieces = text.split(separator: "e")
        let mantissa = pieces[0]
        let written = pieces.count > 1 ? Int(pieces[1])! : 0
        let dot = mantissa.firstIndex(of: ".")
        let integerCount = dot.map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        var digits = Array(mantissa.filter { $0 != "." })
        // Leading zeros move the decimal exponent; they are not significant.
        var exponent = written + integerCount - 1
        while digits.count > 1 && digits[0] == "0" {
            digits.removeFirst()
            exponent -= 1
        }
        while digits.count > 1 && digits.last == "0" { digits.removeLast() }
        return (digits, exponent)
    }

    /// Positional form with at most `maxFractionDigits` fraction digits: the shortest
    /// representation when it is short enough, else the exact value correctly rounded.
    static func positional(_ x: Double, maxFractionDigits: Int) -> Parts {
        let sign = x.sign == .minus ? "-" : ""
        let (digits, exponent) = shortestDigits(x)
        if digits.count - 1 - exponent <= maxFractionDigits {
            if exponent >= 0 {
                let integerDigits = (0...exponent).map { $0 < digits.count ? digits[$0] : "0" }
                let fraction = digits.count > exponent + 1 ? String(digits[(exponent + 1)...]) : ""
                return Parts(integer: sign + String(integerDigits), fraction: fraction)
            }
            return Parts(
                integer: sign + "0",
                fraction: String(repeating: "0", count: -exponent - 1) + String(digits))
        }
        let rounded = String(format: "%.\(maxFractionDigits)f", abs(x))
        let halves = rounded.split(separator: ".", omittingEmptySubsequences: false)
        return Parts(integer: sign + halves[0], fraction: String(halves[1]).trimmingTrailing("0"))
    }

    /// Scientific form with at most `maxFractionDigits` mantissa fraction digits, rounded the same way.
    static func scientific(_ x: Double, maxFractionDigits: Int) -> Parts {
        let sign = x.sign == .minus ? "-" : ""
        var (digits, exponent) = shortestDigits(x)
        if digits.count - 1 > maxFractionDigits {
            let rounded = String(format: "%.\(maxFractionDigits)e", abs(x))
            let pieces = rounded.split(separator: "e")
            digits = Array(pieces[0].filter { $0 != "." })
            exponent = Int(pieces[1])!
            while digits.count > 1 && digits.last == "0" { digits.removeLast() }
        }
        return Parts(
            integer: sign + String(digits[0]), fraction: String(digits.dropFirst()),
            exponentSign: exponent < 0 ? "-" : "+", exponentDigits: String(abs(exponent)))
    }
}

extension StringProtocol {
    fileprivate func trimmingTrailing(_ character: Character) -> String {
        var s = String(self)
        while s.last == character { s.removeLast() }
        return s
    }

    fileprivate func trimmingTrailingSpaces() -> String { trimmingTrailing(" ") }
}
