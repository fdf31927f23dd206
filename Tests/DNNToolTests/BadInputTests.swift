import DNN
import Foundation
import Testing

/// Inputs made to break the command — files that declare more than any memory, sizes at the
/// limits of Int, outputs that are devices, a model whose output is NaN, damaged and enormous CSV
/// cells — are refused as every error is: one printable line on standard error that starts with
/// `dnn: ` and stays short whatever the input holds, exit status 1 (2 for a wrong command line),
/// and nothing written or replaced in the working directory.
@Suite("Bad inputs: one short line, the right status, nothing written")
struct BadInputTests {
    /// The child's memory budget (`DNN_MEMORY_LIMIT`, 1 GB), so that a message naming the limit
    /// does not depend on this machine's memory.
    static let budget = ["DNN_MEMORY_LIMIT": "1000000000"]

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// What the one line must say: all of it, or how it starts and ends (around a number that
    /// depends on the machine, or an elided value).
    enum Message: Sendable, CustomTestStringConvertible {
        case exactly(String)
        case between(prefix: String, suffix: String)

        var testDescription: String {
            switch self {
            case .exactly(let line): line
            case .between(let prefix, let suffix): "\(prefix)…\(suffix)"
            }
        }
    }

    /// Runs `arguments` in `directory` and checks the refusal: `status`, one line of at most about
    /// 200 characters that says `message`, and the directory as it was.
    @discardableResult
    static func expectRefused(
        _ arguments: [String], in directory: String, status: Int32 = 1, _ message: Message,
        environment: [String: String] = budget, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CommandRunner.Result {
        let before = try directoryContents(directory)
        let result = try CommandRunner.run(arguments, in: directory, environment: environment)
        #expect(result.status == status, "\(result.stderr)", sourceLocation: sourceLocation)
        expectOneLine(result.stderr, sourceLocation: sourceLocation)
        switch message {
        case .exactly(let line):
            #expect(result.stderr == line + "\n", sourceLocation: sourceLocation)
        case .between(let prefix, let suffix):
            #expect(result.stderr.hasPrefix(prefix), "\(result.stderr)", sourceLocation: sourceLocation)
            #expect(result.stderr.hasSuffix(suffix + "\n"), "\(result.stderr)", sourceLocation: sourceLocation)
        }
        #expect(
            try directoryContents(directory) == before, "nothing written or replaced", sourceLocation: sourceLocation)
        return result
    }

    /// One line that starts with `dnn: `, of at most about 200 characters, with no control
    /// character but its final line feed: a terminal shows it as it is.
    static func expectOneLine(_ stderr: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(stderr.hasPrefix("dnn: "), "\(stderr.prefix(300))", sourceLocation: sourceLocation)
        #expect(stderr.hasSuffix("\n"), sourceLocation: sourceLocation)
        let line = stderr.unicodeScalars.dropLast()
        #expect(
            !line.contains { $0.properties.generalCategory == .control },
            "one printable line: \(line.map(\.value).filter { $0 < 32 })", sourceLocation: sourceLocation)
        #expect(stderr.count <= 210, "\(stderr.count) characters", sourceLocation: sourceLocation)
    }

    /// No budget: the child's own `DNN_MEMORY_LIMIT`, if this process has one, is set empty, which
    /// is no budget.
    static let noBudget = ["DNN_MEMORY_LIMIT": ""]

    static func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
    }

    /// The limit and its source as a message names them when no budget is set:
    /// "12.6 GB (half of this machine's memory)"; nil under a limit on the address space, which
    /// then sets the budget.
    static var machineLimit: String? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur == rlim_t.max else { return nil }
        let half = Double(ProcessInfo.processInfo.physicalMemory / 2)
        return String(format: "%.1f GB (half of this machine's memory)", half / 1e9)
    }

    // MARK: - HDF5 files that declare more than they hold

    /// Files of a few KB (scripts/make-hdf5-fixtures.py) whose datasets declare more elements than
    /// any memory holds, chunked with no chunk written: the size is checked from the declared shape
    /// before anything is allocated or read — nine bytes a pixel (the byte read and its double),
    /// sixteen a label — and a product beyond Int64 is "more than can be counted", not a trap.
    /// Labels of another shape than (m), (1, m) or (m, 1), a single value or an empty dataspace
    /// are refused by name.
    @Test(
        "HDF5 files that declare huge datasets or labels of the wrong shape: refused before reading",
        arguments: [
            (
                "declared_huge_x.h5",
                "train_set_x of shape [1000000000, 64, 64, 3] would need 110592.0 GB; the limit is 1.0 GB (DNN_MEMORY_LIMIT)"
            ),
            (
                "declared_overflowing_x.h5",
                "train_set_x of shape [1099511627776, 1099511627776, 1099511627776] would need more bytes than can be counted; the limit is 1.0 GB (DNN_MEMORY_LIMIT)"
            ),
            (
                "declared_huge_y.h5",
                "train_set_y of shape [1000000000000] would need 16000.0 GB; the limit is 1.0 GB (DNN_MEMORY_LIMIT)"
            ),
            ("labels_25x2.h5", "train_set_y has shape [25, 2]; labels are one-dimensional, (1, m) or (m, 1)"),
            ("scalar_labels.h5", "train_set_y is a single value or empty, not an array"),
            ("null_labels.h5", "train_set_y is a single value or empty, not an array"),
        ], ["train", "evaluate"])
    func declaredHDF5(fixtureAndMessage: (String, String), command: String) throws {
        let (file, message) = fixtureAndMessage
        let directory = try directoryWithDataAndModel()
        try FileManager.default.copyItem(atPath: fixture(file), toPath: directory + "/" + file)
        #expect(try Self.fileSize(fixture(file)) <= 4096, "a few KB on disk")
        let arguments =
            command == "train"
            ? ["train", "--train", file, "--output", "out.json"]
            : ["evaluate", "--model", "m.json", "--data", file, "--report", "r.html"]
        try Self.expectRefused(arguments, in: directory, .exactly("dnn: \(file): \(message)"))
    }

    /// Without a budget set, the limit is half of this machine's memory, and the message says so.
    @Test("a declared 12 TB of pixels against this machine's own limit")
    func declaredHDF5MachineLimit() throws {
        let directory = try directoryWithDataAndModel()
        try FileManager.default.copyItem(atPath: fixture("declared_huge_x.h5"), toPath: directory + "/huge.h5")
        try Self.expectRefused(
            ["train", "--train", "huge.h5", "--output", "out.json"], in: directory,
            .between(
                prefix:
                    "dnn: huge.h5: train_set_x of shape [1000000000, 64, 64, 3] would need 110592.0 GB; the limit is ",
                suffix: Self.machineLimit.map { " " + $0 } ?? ")"),
            environment: Self.noBudget)
    }

    // MARK: - Sizes

    /// Hidden layers too large for memory are a run-time refusal (1): the sizes are valid, the
    /// machine is too small. Checked before the parameters are drawn — drawing 99999999 × 3 of them
    /// took 15 s and 6 GB before the refusal — so a run of one iteration ends at once. A size
    /// beyond Int64 is not a size at all: a usage error (2).
    @Test(
        "hidden layers that cannot fit: one line, exit 1; a size beyond Int64: exit 2",
        arguments: [
            (
                "99999999", Int32(1),
                Message.between(prefix: "dnn: ", suffix: "; the limit is 1.0 GB (DNN_MEMORY_LIMIT)")
            ),
            (
                "100000,100000", 1,
                .exactly(
                    "dnn: layer sizes [2, 100000, 100000, 1] would need 160.0 GB; the limit is 1.0 GB (DNN_MEMORY_LIMIT)"
                )
            ),
            (
                "9223372036854775807", 1,
                .exactly(
                    "dnn: layer sizes [2, 9223372036854775807, 1] would need more bytes than can be counted; the limit is 1.0 GB (DNN_MEMORY_LIMIT)"
                )
            ),
            (
                "9223372036854775808", 2,
                .exactly("dnn: The value '9223372036854775808' is invalid for '--layers <layers>'")
            ),
        ])
    func hugeLayers(layers: String, status: Int32, message: Message) throws {
        let directory = try directoryWithDataAndModel()
        let before = try directoryContents(directory)
        let result = try CommandRunner.run(
            ["train", "--layers", layers, "--iterations", "1", "--output", "out.json"], in: directory,
            environment: Self.budget)
        #expect(result.status == status, "\(result.stderr)")
        Self.expectOneLine(result.stderr)
        switch message {
        case .exactly(let line): #expect(result.stderr == line + "\n")
        case .between(let prefix, let suffix):
            #expect(result.stderr.hasPrefix(prefix) && result.stderr.hasSuffix(suffix + "\n"), "\(result.stderr)")
            // The sizes named, whichever check (parameters or training buffers) comes first.
            #expect(result.stderr.contains("[2, \(layers), 1]") && result.stderr.contains(" would need "))
        }
        #expect(try directoryContents(directory) == before)
    }

    /// The flower data with one hidden layer of 99,999,999 units, against the machine's own limit:
    /// its parameters (6.4 GB drawn) may fit, training them (976 GB of buffers) cannot; the refusal
    /// must come before the draw. Time is not asserted; one iteration keeps a run that is not
    /// refused from training long.
    @Test("--layers 99999999 against this machine's limit: refused, one line, exit 1")
    func hugeLayerMachineLimit() throws {
        let directory = try directoryWithDataAndModel()
        let result = try Self.expectRefused(
            ["train", "--layers", "99999999", "--iterations", "1", "--output", "out.json"], in: directory,
            .between(prefix: "dnn: ", suffix: Self.machineLimit.map { "; the limit is " + $0 } ?? ")"),
            environment: Self.noBudget)
        #expect(result.stderr.contains("[2, 99999999, 1]") && result.stderr.contains(" would need "))
    }

    /// Counts of passes are capped at 10⁸ on the command line: Int64's largest is a usage error
    /// naming the cap, and one beyond Int64 is not a number of passes.
    @Test(
        "pass counts at and beyond Int64's largest: usage errors, exit 2",
        arguments: [
            (
                ["train", "--mini-batch-size", "64", "--epochs", "9223372036854775807"],
                "dnn: --epochs 9223372036854775807: at most 100000000"
            ),
            (["train", "--epochs", "9223372036854775807"], "dnn: --epochs 9223372036854775807: at most 100000000"),
            (
                ["train", "--mini-batch-size", "64", "--epochs", "9223372036854775808"],
                "dnn: The value '9223372036854775808' is invalid for '--epochs <epochs>'"
            ),
            (
                ["train", "--iterations", "9223372036854775807"],
                "dnn: --iterations 9223372036854775807: at most 100000000"
            ),
        ])
    func hugeCounts(arguments: [String], message: String) throws {
        let directory = try directoryWithDataAndModel()
        try Self.expectRefused(arguments + ["--output", "out.json"], in: directory, status: 2, .exactly(message))
    }

    // MARK: - Outputs

    /// Devices are refused as outputs before any work, whichever output names them: /dev/full
    /// (every write fails) and /dev/null (the output would be lost).
    @Test(
        "an output that is a device: refused before any work, one line, exit 1",
        arguments: [
            (["train", "--iterations", "5", "--output", "/dev/full"], "/dev/full"),
            (["train", "--iterations", "5", "--plot", "/dev/null", "--output", "out.json"], "/dev/null"),
            (["train", "--iterations", "5", "--report", "/dev/null", "--output", "out.json"], "/dev/null"),
            (["train", "--iterations", "5", "--boundary-plot", "/dev/full", "--output", "out.json"], "/dev/full"),
            (["predict", "--model", "m.json", "--data", "data.csv", "--output", "/dev/null"], "/dev/null"),
            (["evaluate", "--model", "m.json", "--data", "data.csv", "--report", "/dev/full"], "/dev/full"),
        ])
    func deviceOutputs(arguments: [String], device: String) throws {
        let directory = try directoryWithDataAndModel()
        try Self.expectRefused(
            arguments, in: directory, .exactly("dnn: \(device): is not a regular file (a device?); outputs go to files")
        )
    }

    /// An empty output name is refused before training: with 10⁸ iterations, a run that started
    /// training would not end within the time limit.
    @Test("--output \"\" with 10⁸ iterations: refused at once", .timeLimit(.minutes(1)))
    func emptyOutputName() throws {
        let directory = try directoryWithDataAndModel()
        try Self.expectRefused(
            ["train", "--iterations", "100000000", "--output", ""], in: directory,
            .exactly("dnn: an output file name is empty"))
    }

    // MARK: - Models and values at the edge of Double

    /// A model whose weights are ±1e308: both hidden units are 1e308·x1 + 1e308·x2 = ∞ (relu keeps
    /// ∞), and the output 1e308·∞ − 1e308·∞ is NaN in any order of summation, fused or not (one
    /// unit of W·x = 2e308 − 2e308 is not: a fused multiply-add gives ∞ exactly). predict and
    /// evaluate refuse to print or write anything from it.
    @Test(
        "a model whose output is NaN: predict and evaluate refuse, one line, exit 1",
        arguments: [
            ["predict", "--model", "nan.json", "--data", "nan.csv", "--output", "p.csv"],
            ["predict", "--model", "nan.json", "--data", "nan.csv"],
            ["evaluate", "--model", "nan.json", "--data", "nan.csv", "--report", "r.html"],
        ])
    func nanModel(arguments: [String]) throws {
        let directory = try directoryWithDataAndModel()
        let model = try DeepNeuralNetwork(
            parameters: Parameters(layers: [
                LayerParameters(W: Matrix([[1e308, 1e308], [1e308, 1e308]]), b: Matrix(rows: 2, cols: 1)),
                LayerParameters(W: Matrix([[1e308, -1e308]]), b: Matrix(rows: 1, cols: 1)),
            ]))
        try model.save(to: directory + "/nan.json")
        try Self.write("x1,x2,label\n1,1,0\n2,3,1\n", to: directory + "/nan.csv")
        let result = try Self.expectRefused(
            arguments, in: directory,
            .exactly("dnn: the model's output is NaN for this data: its parameters cannot predict"))
        #expect(result.stdout.isEmpty, "no prediction printed")
    }

    /// Features near the largest double with all four side outputs of train: whatever step fails
    /// (the cost, the boundary over a grid spanning ±1.7e308, the report's evaluation), it fails
    /// with one line, and none of the four files is written. Unstandardised, training ends (one
    /// pass from zeros) and the outputs cannot be made; standardised (the deviations, near 1e308,
    /// are computed without overflow), training runs and the boundary over the raw grid cannot be
    /// predicted. The warning that such features are unscaled is the one other line allowed.
    @Test(
        "features near 1e308 with --report, --boundary-plot, --log and --plot: one line, none written",
        arguments: [
            (
                ["--iterations", "1", "--init", "zeros"],
                "dnn: warning: near.csv: features are unscaled (a mean or spread above 10); consider --standardize\n"
                    + "dnn: the model's output is NaN for this data: its parameters cannot predict\n"
            ),
            (
                ["--standardize", "--quiet"],
                "dnn: the model's output is NaN for this data: its parameters cannot predict\n"
            ),
        ])
    func nearLargestDouble(options: [String], stderr: String) throws {
        let directory = try directoryWithDataAndModel()
        try Self.write(
            "x1,x2,label\n1e308,-1e308,0\n-1.7e308,1.7e308,1\n1.5e308,1.5e308,0\n-1e308,-1.6e308,1\n",
            to: directory + "/near.csv")
        let before = try directoryContents(directory)
        let result = try CommandRunner.run(
            ["train", "--train", "near.csv"] + options + [
                "--report", "r.html", "--boundary-plot", "b.svg", "--log", "l.csv", "--plot", "p.svg",
            ], in: directory)
        #expect(result.status == 1)
        #expect(result.stderr == stderr)
        Self.expectOneLine(String(result.stderr.split(separator: "\n").last ?? "") + "\n")
        #expect(try directoryContents(directory) == before, "none of the four files written")
    }

    // MARK: - CSV

    /// CSV files that are wrong in ways a reader can mishandle: a NUL byte inside a number (C's
    /// strtod would stop there and read 0.1: binary data is refused, at its line and column), two
    /// columns named `label`, a regression target of 10 MB that is not a number (quoted in the
    /// message elided, first and last characters around "…"), and a header of 200,000 columns
    /// with no label column (named elided too).
    enum BadCSV: String, CaseIterable, Sendable {
        case nulByte, twoLabelColumns, tenMegabyteCell, wideHeaderWithoutLabels

        var name: String { rawValue + ".csv" }

        var text: String {
            switch self {
            case .nulByte: "x1,x2,label\n0.1\u{0}abc,2,0\n3,4,1\n"
            case .twoLabelColumns: "x1,label,label\n1,0,0\n3,1,1\n"
            case .tenMegabyteCell:
                "x1,x2,label\n1,2,0.5\n3,4,77777" + String(repeating: "x", count: 10_000_000) + "99999\n"
            case .wideHeaderWithoutLabels:
                (0..<200_000).map { "c\($0)" }.joined(separator: ",") + "\n"
                    + Array(repeating: "1", count: 200_000).joined(separator: ",") + "\n"
            }
        }

        var message: Message {
            switch self {
            case .nulByte: .exactly("dnn: \(name):2: column 4: a NUL byte; binary data is not CSV text")
            case .twoLabelColumns: .exactly("dnn: \(name): two columns are named 'label'")
            case .tenMegabyteCell:
                .between(
                    prefix: "dnn: \(name):3: column 'label': '77777xxx",
                    suffix: "xxx99999' is not a number (a regression target)")
            case .wideHeaderWithoutLabels:
                .between(
                    prefix: "dnn: \(name): no column named 'label' in the header (c0, c1, c2, ",
                    suffix: ", c199998, c199999)")
            }
        }
    }

    @Test("bad CSV files: one short printable line, exit 1, nothing written", arguments: BadCSV.allCases)
    func badCSV(file: BadCSV) throws {
        let directory = try directoryWithDataAndModel()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.write(file.text, to: directory + "/" + file.name)
        // The huge cell is a regression target that is not a number.
        let task = file == .tenMegabyteCell ? ["--task", "regression"] : []
        let result = try Self.expectRefused(
            ["train", "--train", file.name, "--output", "out.json"] + task, in: directory, file.message)
        if file == .tenMegabyteCell || file == .wideHeaderWithoutLabels {
            #expect(result.stderr.contains("…"), "the value is elided")
        }
    }

    /// Class names are the user's text: predict's CSV quotes a name with a comma, a quote or a line
    /// break as RFC 4180 says (in double quotes, a quote doubled), in the rows and in the header's
    /// "probability NAME" columns, so that any CSV reader gets the names back.
    @Test("class names with commas, quotes and line breaks: quoted per RFC 4180 in predict's CSV")
    func quotedClassNames() throws {
        let directory = try directoryWithDataAndModel()
        try Self.write("x1,x2\n5,0\n-5,0\n", to: directory + "/two.csv")
        // One sigmoid unit on x1: the first example is class 1, the second class 0.
        let names = ["no, not", "yes \"really\"\nsure"]
        let binary = try DeepNeuralNetwork(
            parameters: Parameters(layers: [
                LayerParameters(W: Matrix([[1, 0]]), b: Matrix(rows: 1, cols: 1, scalars: [0]))
            ]), classNames: names)
        try binary.save(to: directory + "/binary.json")
        let result = try CommandRunner.run(
            ["predict", "--model", "binary.json", "--data", "two.csv", "--output", "p.csv"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let (p, _) = try binary.predict(Matrix([[5, -5], [0, 0]]))
        let text = try String(contentsOfFile: directory + "/p.csv", encoding: .utf8)
        #expect(
            text
                == "example,probability,label,class\n0,\(p[0, 0]),1,\"yes \"\"really\"\"\nsure\"\n1,\(p[0, 1]),0,\"no, not\"\n"
        )
        #expect(Self.parseCSV(text).map { $0.last! } == ["class", names[1], names[0]])

        // Three classes: the names are in the header too; a CR LF inside a name is kept.
        let three = ["a,b", "c \"d\"", "e\r\nf"]
        let softmax = try DeepNeuralNetwork(
            parameters: Parameters(layers: [
                LayerParameters(W: Matrix([[1, 0], [0, 1], [-1, -1]]), b: Matrix(rows: 3, cols: 1, repeating: 0))
            ]), classNames: three)
        try softmax.save(to: directory + "/three.json")
        try Self.write("x1,x2\n5,0\n0,5\n-5,-5\n", to: directory + "/three.csv")
        let predicted = try CommandRunner.run(
            ["predict", "--model", "three.json", "--data", "three.csv", "--output", "q.csv"], in: directory)
        #expect(predicted.status == 0, "\(predicted.stderr)")
        let rows = Self.parseCSV(try String(contentsOfFile: directory + "/q.csv", encoding: .utf8))
        #expect(rows.first == ["example", "label", "class"] + three.map { "probability \($0)" })
        #expect(rows.dropFirst().map { $0[2] } == three)
        #expect(rows.allSatisfy { $0.count == 6 })
    }

    /// Rows of RFC 4180 text: fields separated by commas, rows by LF or CR LF; a field in double
    /// quotes may hold commas, line breaks and doubled quotes.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows = [[String]](), row = [String](), field = "", quoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let c = pending ?? scalars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    let next = scalars.next()
                    if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = next }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\n" || c == "\r" {
                if c == "\r" {
                    let next = scalars.next()
                    if next != "\n" { pending = next }
                }
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { rows.append(row + [field]) }
        return rows
    }

    // MARK: - Peak memory

    static let python3Available =
        (try? CommandRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", ""]).status) == 0

    /// 30 feature columns and a label, `rows` rows of deterministic values "d.dddd".
    static func wideCSV(rows: Int, seed: UInt64) -> Data {
        var bytes = [UInt8]()
        bytes.reserveCapacity(rows * 212 + 300)
        bytes += Array(((0..<30).map { "f\($0)" } + ["label"]).joined(separator: ",").utf8) + [10]
        var state = seed
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        let zero = UInt8(ascii: "0")
        for _ in 0..<rows {
            for _ in 0..<30 {
                let value = next() % 100_000
                bytes += [
                    zero + UInt8(value / 10_000), UInt8(ascii: "."), zero + UInt8(value / 1000 % 10),
                    zero + UInt8(value / 100 % 10), zero + UInt8(value / 10 % 10), zero + UInt8(value % 10),
                    UInt8(ascii: ","),
                ]
            }
            bytes += [zero + UInt8(next() % 2), 10]
        }
        return Data(bytes)
    }

    /// The figures are exact for the `dnn` process (see `CommandRunner.runMeasuringPeakMemory`);
    /// the baseline is `dnn info` on the same small model, measured the same way, so the bound
    /// does not depend on the machine. Evaluating ~6 MB of CSV (30,000 rows of 31 numbers) may
    /// hold the parsed numbers a few times over (as read, laid out as X, predicted), not the text
    /// or one object per cell: below the baseline + 3 × the parsed doubles. It must also hold them
    /// once — above the baseline + half of them — or the figure measures something else.
    @Test(
        "evaluate on 6 MB of CSV: peak memory below the baseline + 3 × the parsed numbers",
        .enabled(if: python3Available, "python3 (which measures the peak) is missing; skipped"))
    func evaluatePeakMemory() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let rows = 30_000
        try Self.wideCSV(rows: 40, seed: 1).write(to: URL(fileURLWithPath: directory + "/small.csv"))
        let big = Self.wideCSV(rows: rows, seed: 2)
        try big.write(to: URL(fileURLWithPath: directory + "/big.csv"))
        let train = try CommandRunner.run(
            ["train", "--train", "small.csv", "--layers", "4", "--iterations", "5", "--output", "m.json"], in: directory
        )
        #expect(train.status == 0, "\(train.stderr)")

        let floor = try CommandRunner.reaperFloor()
        let baseline = try CommandRunner.runMeasuringPeakMemory(["info", "--model", "m.json"], in: directory)
        let evaluate = try CommandRunner.runMeasuringPeakMemory(
            ["evaluate", "--model", "m.json", "--data", "big.csv"], in: directory)
        #expect(baseline.result.status == 0 && evaluate.result.status == 0, "\(evaluate.result.stderr)")
        #expect(evaluate.result.stdout.hasPrefix("Accuracy: "))
        let parsed = rows * 31 * 8
        print(
            "peak memory: reaper floor \(floor / 1000) kB; dnn info \(baseline.peakBytes / 1000) kB; "
                + "dnn evaluate on \(big.count) bytes of CSV (\(parsed) bytes of doubles): \(evaluate.peakBytes / 1000) kB, "
                + "baseline + \(String(format: "%.2f", Double(evaluate.peakBytes - baseline.peakBytes) / Double(parsed))) × the doubles"
        )
        #expect(floor < baseline.peakBytes, "the figures are dnn's own, not the reaper's")
        #expect(evaluate.peakBytes > baseline.peakBytes + parsed / 2)
        #expect(evaluate.peakBytes < baseline.peakBytes + 3 * parsed)
    }

    /// A model file of ~40 MB (the cat data, 150 hidden units: 1.8 million parameters as JSON
    /// text) read by `dnn info`: the text and the parsed numbers, not a tree of objects many times
    /// the file. Below the baseline (`info` on a small model) + 4 × the file's size.
    @Test(
        "info on a 40 MB model file: peak memory below the baseline + 4 × the file",
        .enabled(if: python3Available, "python3 (which measures the peak) is missing; skipped"),
        .enabled(
            if: FileManager.default.fileExists(atPath: SharedData.path("train_catvnoncat.h5")),
            "the course's data are not in ../shared/data; skipped"))
    func modelFilePeakMemory() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try DeepNeuralNetwork(layerSizes: [2, 3, 1]).save(to: directory + "/small.json")
        let train = try CommandRunner.run(
            [
                "train", "--train", SharedData.path("train_catvnoncat.h5"), "--layers", "150", "--iterations", "1",
                "--output", "big.json",
            ], in: directory)
        #expect(train.status == 0, "\(train.stderr)")
        let size = try Self.fileSize(directory + "/big.json")
        #expect(size > 20_000_000)

        let baseline = try CommandRunner.runMeasuringPeakMemory(["info", "--model", "small.json"], in: directory)
        let info = try CommandRunner.runMeasuringPeakMemory(["info", "--model", "big.json"], in: directory)
        #expect(baseline.result.status == 0 && info.result.status == 0, "\(info.result.stderr)")
        #expect(info.result.stdout.contains("layers: [12288, 150, 1]"))
        let parameters = 150 * 12289 + 151
        print(
            "peak memory: dnn info on a small model \(baseline.peakBytes / 1000) kB; on a \(size)-byte model "
                + "(\(parameters) parameters): \(info.peakBytes / 1000) kB, "
                + "baseline + \(String(format: "%.2f", Double(info.peakBytes - baseline.peakBytes) / Double(size))) × the file"
        )
        #expect(info.peakBytes > baseline.peakBytes + parameters * 8 / 2)
        #expect(info.peakBytes < baseline.peakBytes + 4 * size)
    }

    /// Whether this test process may run a command as another user under a process limit: root,
    /// with util-linux's setpriv and prlimit (root itself ignores RLIMIT_NPROC).
    static let canLimitProcesses =
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit")

    /// OpenBLAS starts the threads it is asked for and, when the system refuses one, waits for it
    /// forever: `--threads 64` as a user limited to 2 processes hung. BLAS is now asked only for the
    /// threads that could be started, so the run ends, with the same result.
    @Test(
        "64 threads asked for by a user limited to 2 processes: the run ends, no hang",
        .enabled(if: canLimitProcesses, "needs root, setpriv and prlimit to run as a limited user; skipped"),
        .enabled(
            if: FileManager.default.fileExists(atPath: SharedData.path("train_catvnoncat.h5")),
            "the course's data are not in ../shared/data; skipped"),
        .timeLimit(.minutes(2)))
    func refusedThreads() throws {
        // A folder the unprivileged user can read, with the binary and the data in it.
        let directory = temporaryDirectory()
        chmod(directory, 0o755)
        for (source, name) in [(CommandRunner.binary.path, "dnn"), (SharedData.path("train_catvnoncat.h5"), "cat.h5")] {
            try FileManager.default.copyItem(atPath: source, toPath: directory + "/" + name)
            chmod(directory + "/" + name, 0o755)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = [
            "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/prlimit", "--nproc=2", directory + "/dnn",
            "train", "--train", directory + "/cat.h5", "--layers", "5", "--iterations", "3", "--threads", "64",
            "--quiet",
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { usleep(100_000) }
        let hung = process.isRunning
        if hung { process.terminate() }
        process.waitUntilExit()
        #expect(!hung, "the run did not end within a minute")
        #expect(process.terminationStatus == 0)
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.hasPrefix("Train accuracy: "))
    }
}
