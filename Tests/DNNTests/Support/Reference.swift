import DNN
import Foundation
import Testing

/// The course's expected outputs: `reference-values.json` (values at full precision) and
/// `reference-values.md` (the printed forms), both copied from `shared/spec` into `Reference/`.
enum Reference {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Reference")

    enum Value: Sendable, Decodable {
        case number(Double)
        case matrix([[Double]])
        case other

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let rows = try? container.decode([[Double]].self) {
                self = .matrix(rows)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .other
            }
        }
    }

    /// Case id → label → value. (JSONDecoder, not JSONSerialization: on Linux the latter can
    /// round the last bit of a double, and these values are compared to the ulp.)
    static let values: [String: [String: Value]] = {
        let data = try! Data(contentsOf: directory.appendingPathComponent("reference-values.json"))
        return try! JSONDecoder().decode([String: [String: Value]].self, from: data)
    }()

    /// Case id → label → the printed block under that label in the md file.
    static let printed: [String: [String: String]] = {
        let text = try! String(contentsOf: directory.appendingPathComponent("reference-values.md"), encoding: .utf8)
        var result = [String: [String: String]]()
        var caseID: String?
        var label: String?
        var block: [String]?
        for line in text.components(separatedBy: "\n") {
            if line == "```" {
                if let lines = block, let id = caseID, let name = label {
                    result[id, default: [:]][name] = lines.joined(separator: "\n")
                    block = nil
                } else {
                    block = []
                }
            } else if block != nil {
                block!.append(line)
            } else if line.hasPrefix("- `"), let end = line.dropFirst(3).firstIndex(of: "`") {
                label = String(line.dropFirst(3)[..<end])
                // A number is printed on its own line: "- `cost` = 0.2797765635793422".
                if let equals = line.range(of: "` = "), let id = caseID {
                    result[id, default: [:]][label!] = String(line[equals.upperBound...])
                }
            } else if let id = caseHeader(line) {
                caseID = id
            }
        }
        return result
    }()

    /// The case id a header line starts, as the JSON keys it: `B3'` from "B3' L_model_forward …",
    /// `initialize_parameters(3, 2, 1)` from "initialize_parameters(3, 2, 1): seed 1, …".
    private static func caseHeader(_ line: String) -> String? {
        if let match = line.firstMatch(of: #/^([A-D][0-9]+'?) /#) { return String(match.1) }
        if let colon = line.range(of: ": "), values[String(line[..<colon.lowerBound])] != nil {
            return String(line[..<colon.lowerBound])
        }
        return nil
    }

    static func matrix(_ caseID: String, _ label: String) -> Matrix {
        guard case .matrix(let rows) = values[caseID]?[label] else {
            fatalError("reference-values.json has no matrix \(caseID) / \(label)")
        }
        return Matrix(rows)
    }

    static func number(_ caseID: String, _ label: String) -> Double {
        guard case .number(let value) = values[caseID]?[label] else {
            fatalError("reference-values.json has no number \(caseID) / \(label)")
        }
        return value
    }
}

/// The largest relative error seen per reference case, printed as the suite runs for the record.
/// Relative error |a − e| / |e|; where the expected value is exactly 0 the absolute error counts.
func relativeError(_ actual: Double, _ expected: Double) -> Double {
    expected == 0 ? abs(actual) : abs(actual - expected) / abs(expected)
}

/// The course tolerance: values agree to 1e-12 relative (about 4500 ulps: room for BLAS summing in
/// another order than numpy's, far below any real mistake).
let referenceTolerance = 1e-12

/// Checks `actual` against the case's value (1e-12 relative, element by element) and, where the md
/// prints it, against numpy's printed form. Returns the largest relative error.
@discardableResult
func expectReference(
    _ actual: Matrix, _ caseID: String, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
) -> Double {
    let expected = Reference.matrix(caseID, label)
    #expect(
        actual.rows == expected.rows && actual.cols == expected.cols,
        "\(caseID) \(label): shape \(actual.shapeDescription), expected \(expected.shapeDescription)",
        sourceLocation: sourceLocation)
    guard actual.hasSameShape(as: expected) else { return .infinity }
    let worst = zip(actual.scalars, expected.scalars).map(relativeError).max() ?? 0
    #expect(
        worst <= referenceTolerance, "\(caseID) \(label): largest relative error \(worst)",
        sourceLocation: sourceLocation)
    if let printed = Reference.printed[caseID]?[label] {
        #expect(actual.description == printed, "\(caseID) \(label) printed form", sourceLocation: sourceLocation)
    }
    ReferenceLog.record(caseID, label, worst)
    return worst
}

/// Checks a number (a cost) at 1e-12 relative and its printed form against the md.
func expectReferenceNumber(
    _ actual: Double, _ caseID: String, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let expected = Reference.number(caseID, label)
    let error = relativeError(actual, expected)
    #expect(error <= referenceTolerance, "\(caseID) \(label): relative error \(error)", sourceLocation: sourceLocation)
    if let printed = Reference.printed[caseID]?[label] {
        #expect("\(actual)" == printed, "\(caseID) \(label) printed form", sourceLocation: sourceLocation)
    }
    ReferenceLog.record(caseID, label, error)
}

/// Prints each checked value's largest relative error, so a run's log lists every reference case.
enum ReferenceLog {
    static func record(_ caseID: String, _ label: String, _ error: Double) {
        print("reference \(caseID) / \(label): largest relative error \(error)")
    }
}
