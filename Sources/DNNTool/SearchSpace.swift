import ArgumentParser
import DNN
import Foundation

/// The candidates of a search: settings of `train`'s flags, from a grid (every combination of
/// each flag's values) or drawn at random from ranges, seeded.
///
///     --grid "layers=32|64,32; learning-rate=0.01|0.001; l2=0|0.1"      (8 candidates)
///     --random 20 --space "learning-rate=log:1e-4:1e-1; l2=0:1; layers=16|32|64; epochs=int:50:200"
///
/// A value `true` or `false` gives a flag without a value or its inverse
/// (`standardize=true|false`: `--standardize`, `--no-standardize`).
struct SearchSpace {
    /// One flag's possible values: a list, or a range to draw from.
    enum Values {
        case list([String])
        case uniform(Double, Double)
        case logUniform(Double, Double)
        case integers(Int, Int)
    }

    /// The flags, in the order written.
    let dimensions: [(flag: String, values: Values)]

    /// Reads `text` ("flag=a|b; flag=log:lo:hi; …"); throws a usage error naming the part it
    /// cannot read. `ranges` allows ranges (random search); a grid takes lists only.
    init(_ text: String, option: String, ranges: Bool) throws {
        var dimensions = [(String, Values)]()
        for part in text.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let pieces = part.split(separator: "=", maxSplits: 1).map {
                String($0).trimmingCharacters(in: .whitespaces)
            }
            guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty else {
                throw ValidationError("\(option): '\(part)' is not FLAG=VALUES")
            }
            let flag = pieces[0].hasPrefix("--") ? String(pieces[0].dropFirst(2)) : pieces[0]
            guard !dimensions.contains(where: { $0.0 == flag }) else {
                throw ValidationError("\(option): the flag '\(flag)' is given twice")
            }
            dimensions.append((flag, try Self.values(pieces[1], option: option, flag: flag, ranges: ranges)))
        }
        guard !dimensions.isEmpty else { throw ValidationError("\(option): no FLAG=VALUES given") }
        self.dimensions = dimensions
    }

    private static func values(_ text: String, option: String, flag: String, ranges: Bool) throws -> Values {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard ranges, parts.count >= 2,
            ["log", "int"].contains(parts[0]) || parts.count == 2 && Double(parts[0]) != nil
        else { return .list(text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)) }
        guard parts.count == (["log", "int"].contains(parts[0]) ? 3 : 2) else {
            throw ValidationError("\(option): \(flag)=\(text): a range is LOW:HIGH, log:LOW:HIGH or int:LOW:HIGH")
        }
        let bounds = parts.suffix(2).map(Double.init)
        guard let low = bounds[0], let high = bounds[1], low < high, low.isFinite, high.isFinite else {
            throw ValidationError("\(option): \(flag)=\(text): the range needs two numbers, the first below the second")
        }
        switch parts.count == 3 ? parts[0] : "" {
        case "log":
            guard low > 0 else {
                throw ValidationError("\(option): \(flag)=\(text): a log range needs positive bounds")
            }
            return .logUniform(low, high)
        case "int":
            // Whole numbers that Int holds with room for high − low + 1.
            guard low == low.rounded(), high == high.rounded(), abs(low) <= 1e15, abs(high) <= 1e15 else {
                throw ValidationError("\(option): \(flag)=\(text): int bounds are whole numbers within ±1e15")
            }
            return .integers(Int(low), Int(high))
        default: return .uniform(low, high)
        }
    }

    /// How many candidates `grid` makes (Int.max when more than Int holds): known before they are.
    var gridCount: Int {
        dimensions.reduce(1) { count, dimension in
            guard case .list(let values) = dimension.values else { return count }
            let (product, overflow) = count.multipliedReportingOverflow(by: values.count)
            return overflow ? Int.max : product
        }
    }

    /// Every combination of the lists' values (the first flag varying slowest).
    var grid: [[(String, String)]] {
        dimensions.reduce([[]]) { partial, dimension in
            guard case .list(let values) = dimension.values else { return partial }
            return partial.flatMap { candidate in values.map { candidate + [(dimension.flag, $0)] } }
        }
    }

    /// `count` candidates drawn from `seed` with numpy's generator: a list's value uniformly, a
    /// range uniformly, a log range log-uniformly, integers uniformly (both bounds included).
    func random(_ count: Int, seed: UInt32) -> [[(String, String)]] {
        var rng = NumPyRandom(seed: seed)
        return (0..<count).map { _ in
            dimensions.map { flag, values in
                let u = rng.uniform()
                switch values {
                case .list(let list): return (flag, list[min(Int(u * Double(list.count)), list.count - 1)])
                case .uniform(let low, let high): return (flag, Self.short(low + u * (high - low)))
                case .logUniform(let low, let high):
                    return (flag, Self.short(exp(log(low) + u * (log(high) - log(low)))))
                case .integers(let low, let high):
                    return (flag, "\(low + min(Int(u * Double(high - low + 1)), high - low))")
                }
            }
        }
    }

    /// A drawn number with four significant digits: what a flag needs, and readable in a table.
    private static func short(_ x: Double) -> String {
        String(format: "%.4g", x)
    }

    /// A candidate's settings as command-line arguments.
    static func arguments(_ candidate: [(String, String)]) -> [String] {
        candidate.flatMap { flag, value -> [String] in
            switch value {
            case "true": ["--\(flag)"]
            case "false": ["--no-\(flag)"]
            default: ["--\(flag)", value]
            }
        }
    }

    /// A candidate as one line: `layers=32 learning-rate=0.01`.
    static func describe(_ candidate: [(String, String)]) -> String {
        candidate.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }
}
