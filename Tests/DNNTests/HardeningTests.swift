import Foundation
import Testing

@testable import DNN

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The library's side of the second round of hostile inputs: the checks and escapes that the
/// command's cases (`HostileInputTests`) rely on, each on the values that broke it.
@Suite("Hardening, round two")
struct HardeningTests {
    /// Bytes fed to the validator in two blocks split at every place, so that a character cut by
    /// a block boundary is judged as a whole.
    static func firstInvalid(_ bytes: [UInt8]) -> [(line: Int, column: Int, byte: UInt8)?] {
        (0...bytes.count).map { cut in
            var validator = UTF8Validator()
            for part in [bytes[..<cut], bytes[cut...]] {
                if let bad = Array(part).withUnsafeBufferPointer({ validator.feed($0) }) { return bad }
            }
            return validator.finish().map { ($0.line, $0.column, 0) }
        }
    }

    @Test(
        "UTF-8: valid text passes in blocks cut anywhere; overlong forms, surrogates, values past U+10FFFF fail",
        arguments: [
            ("é€𝄞 plain", nil),
            ("a\n\u{FFFD}\n", nil),
        ] as [(String, Int?)])
    func validText(text: String, _: Int?) {
        #expect(Self.firstInvalid(Array(text.utf8)).allSatisfy { $0 == nil })
    }

    @Test("UTF-8: each invalid form is found at its byte, whatever the block boundaries")
    func invalidForms() {
        let cases: [([UInt8], (Int, Int, UInt8))] = [
            ([0x61, 0xC0, 0x80], (1, 2, 0xC0)),  // an overlong '\0'
            ([0xE0, 0x80, 0x80], (1, 2, 0x80)),  // an overlong three-byte form
            ([0xED, 0xA0, 0x80], (1, 2, 0xA0)),  // U+D800, a surrogate
            ([0xF4, 0x90, 0x80, 0x80], (1, 2, 0x90)),  // past U+10FFFF
            ([0x0A, 0x80], (2, 1, 0x80)),  // a continuation byte alone, on line 2
            ([0xF5], (1, 1, 0xF5)),
            ([0xE2, 0x82, 0x41], (1, 3, 0x41)),  // cut short by an ASCII byte
        ]
        for (bytes, expected) in cases {
            for found in Self.firstInvalid(bytes) {
                #expect(
                    found?.line == expected.0 && found?.column == expected.1 && found?.byte == expected.2, "\(bytes)")
            }
        }
        var validator = UTF8Validator()
        #expect([UInt8]([0x61, 0xE2, 0x82]).withUnsafeBufferPointer { validator.feed($0) } == nil)
        #expect(validator.finish()! == (1, 3), "a file that ends inside a character")
    }

    @Test("terminal text: ESC, BEL, CR, DEL, C1 and bidirectional overrides shown, other text kept")
    func terminalText() {
        #expect(terminalSafe("\u{1B}[31mred\u{7}\r") == "\\u{1B}[31mred\\u{7}\\u{D}")
        #expect(terminalSafe("a\u{7F}b\u{9B}c\u{202E}d") == "a\\u{7F}b\\u{9B}c\\u{202E}d")
        #expect(terminalSafe("Gentoo, été, 猫, 🐈") == "Gentoo, été, 猫, 🐈")
    }

    /// Class names with control characters (not allowed in XML 1.0) and markup: the plots parse as
    /// XML, and the names read back as the escaped text.
    @Test("SVG with control characters and markup in class names parses as XML")
    func svgOfHostileNames() throws {
        let names = ["<b>\u{1B}[2J", "\u{7}&\"'"]
        var model = try DeepNeuralNetwork(
            network: Network(inputs: 2, hidden: [Layer(units: 3)], head: .softmax, classes: 3), seed: 1,
            classNames: names + ["\u{0}"])
        model.featureNames = ["x1", "x2"]
        let plot = try DecisionBoundaryPlot(
            model: model, X: Matrix([[0, 1, 2], [0, 1, 0]]), Y: Matrix([[0, 1, 2]])
        ).svg()
        let document = try XMLDocument(xmlString: plot)
        let texts = try document.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
        #expect(texts.contains("<b>\\u{1B}[2J") && texts.contains("\\u{7}&\"'") && texts.contains("\\u{0}"))
    }

    /// Costs near the largest doubles, and below zero (a damaged file's): the span of the axis
    /// overflowed to inf and every coordinate became NaN, written "-nan".
    @Test("a cost curve over values near ±1.8e308 has no NaN coordinate")
    func extremeCostCurve() throws {
        for values in [[1e308, -1e308, 0], [1.7e308, -1.7e308, 1.7e308], [0, .greatestFiniteMagnitude]] {
            let costs = values.enumerated().map { CostRecord(iteration: $0.offset, cost: $0.element) }
            let svg = CostCurvePlot(runs: [.init(label: "run", costs: costs)], learningRate: 0.1).svg()
            #expect(!svg.contains("nan") && !svg.contains("inf"), "\(values)")
            _ = try XMLDocument(xmlString: svg)
        }
    }

    @Test("standardisation of ±1e200 and ±1.7e308: finite mean and deviation, numpy's elsewhere")
    func standardizationWithoutOverflow() {
        let huge = Standardization(fitting: Matrix([[1e200, -1e200, 1e200, -1e200]]))
        #expect(huge.mean == [0] && huge.scale == [1e200])
        let largest = Standardization(fitting: Matrix([[1.7e308, -1.7e308]]))
        #expect(largest.mean == [0] && largest.scale == [1.7e308])
        let beyond = Standardization(fitting: Matrix([[1.7e308, -1.7e308, 1.7e308, 1.7e308]]))
        #expect(beyond.scale[0].isFinite && beyond.mean[0].isFinite)
        // The ordinary path is untouched: numpy's np.std([1, 2, 4]) and mean.
        let plain = Standardization(fitting: Matrix([[1, 2, 4]]))
        #expect(plain.mean == [7.0 / 3] && plain.scale == [1.247219128924647])
    }

    @Test(
        "output paths: the directory and the name, and names that can only be directories",
        arguments: [
            ("model.json", ".", "model.json"), ("out/model.json", "out", "model.json"), ("/m.json", "/", "m.json"),
            ("a//b/m.json", "a//b", "m.json"),
        ])
    func outputPaths(path: String, directory: String, name: String) throws {
        let split = try splitOutputPath(path)
        #expect(split.directory == directory && split.name == name)
    }

    @Test("names that can only be directories are refused", arguments: [".", "..", "x/", "x/.", "x/..", "/"])
    func directoryNames(path: String) {
        #expect(throws: DNNError("\(path): names a directory; outputs go to files")) { try splitOutputPath(path) }
    }

    /// Two writers of one target never share a temporary file, whatever their PIDs.
    @Test("two temporary files for one target at once: two names, both created exclusively")
    func distinctTemporaryFiles() throws {
        let directory = NSTemporaryDirectory() + "dnn-hardening-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let first = try TemporaryOutputFile(beside: directory + "/m.json", directory: directory, name: "m.json")
        let second = try TemporaryOutputFile(beside: directory + "/m.json", directory: directory, name: "m.json")
        defer {
            for file in [first, second] {
                TemporaryFiles.shared.remove(file.path)
                file.close()
            }
        }
        #expect(first.path != second.path)
        #expect(first.path.hasPrefix(directory + "/.m.json.\(getpid()).") && first.path.hasSuffix(".tmp"))
    }

    @Test("a model whose contents the reader would refuse is not saved")
    func unsavableModel() throws {
        var model = try DeepNeuralNetwork(layerSizes: [2, 3, 1])
        model.standardization = Standardization(mean: [0, 0], scale: [1, .infinity])
        #expect(
            throws: DNNError("the model: cannot be saved: a standardisation with a scale that is not a positive number")
        ) {
            try model.fileData()
        }
    }
}
