import CSV
import Foundation
import Testing

@testable import DNN

/// The CSV reader against a reference writer: tables of awkward cells (delimiters, quotes and line
/// breaks inside them, non-ASCII text, numbers, missing cells) written by CSV.swift's RFC 4180
/// writer in every dialect, read back cell for cell; the two threads' split, and the corners of
/// the format one by one.
@Suite("Reading CSV: RFC 4180 against a reference writer, dialects, two threads")
struct TableReaderTests {
    /// Text cells a writer must quote, or not.
    static let words = [
        "plain", "with, a comma", "with; a semicolon", "a \"quoted\" word", "two\nlines", "tab\there", "pipe|here",
        "ünïcödé ✓", "", "NA", "x", "trailing\r\nCRLF",
    ]

    /// A seeded table: a column of numbers (a few missing), one of text, one of integers.
    static func cells(rows: Int, seed: UInt32) -> [[String]] {
        var rng = NumPyRandom(seed: seed)
        return (0..<rows).map { _ in
            let number = rng.uniform() < 0.1 ? "" : "\(rng.randn(1, 1)[0, 0] * 1000)"
            let word = words[Int(rng.uniform() * Double(words.count))]
            return [number, word, "\(Int(rng.uniform() * 100))"]
        }
    }

    /// Writes `rows` under a header with CSV.swift, in `delimiter` and `newline`, with a byte order
    /// mark when asked.
    static func write(
        _ rows: [[String]], to path: String, delimiter: String, newline: CSVWriter.Newline, bom: Bool = false
    ) throws {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream, delimiter: delimiter, newline: newline)
        try writer.write(row: ["value", "word", "count"])
        for row in rows { try writer.write(row: row) }
        writer.stream.close()
        var bytes = (bom ? Data([0xEF, 0xBB, 0xBF]) : Data())
        bytes.append(writer.stream.property(forKey: .dataWrittenToMemoryStreamKey) as! Data)
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    /// The table read holds the cells written: numbers as numbers (missing: NaN), text as text
    /// (missing words as missing).
    static func expectSame(_ table: Table, _ rows: [[String]], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(table.names == ["value", "word", "count"], sourceLocation: sourceLocation)
        #expect(table.rowCount == rows.count, sourceLocation: sourceLocation)
        guard table.rowCount == rows.count, case .numbers(let values) = table.columns[0],
            case .numbers(let counts) = table.columns[2]
        else {
            Issue.record("columns of the wrong kind: \(table.columns.map(\.kind))", sourceLocation: sourceLocation)
            return
        }
        var mismatches = 0
        for (i, row) in rows.enumerated() {
            let value = Double(row[0]) ?? .nan
            if !(value == values[i] || value.isNaN && values[i].isNaN) { mismatches += 1 }
            let word = MissingValues.isMissing(row[1]) ? nil : row[1]
            if table.columns[1].text(i) != word { mismatches += 1 }
            if Double(row[2]) != counts[i] { mismatches += 1 }
        }
        #expect(mismatches == 0, "\(mismatches) cells differ", sourceLocation: sourceLocation)
    }

    @Test(
        "every dialect reads back what CSV.swift wrote",
        arguments: [(",", "csv"), (";", "csv"), ("\t", "tsv"), ("|", "csv")], [false, true])
    func dialects(delimiter: (String, String), crlf: Bool) throws {
        let rows = Self.cells(rows: 500, seed: 3)
        let path = temporaryDirectory() + "/data." + delimiter.1
        try Self.write(rows, to: path, delimiter: delimiter.0, newline: crlf ? .crlf : .lf, bom: crlf)
        let table = try Table.read(path)
        #expect(table.dialect.delimiter == delimiter.0.utf8.first!, "detected")
        Self.expectSame(table, rows)
    }

    @Test("a gzip file reads as its contents")
    func gzip() throws {
        let rows = Self.cells(rows: 2000, seed: 4)
        let directory = temporaryDirectory()
        try Self.write(rows, to: directory + "/data.csv", delimiter: ",", newline: .lf)
        let zipped = try CommandRunnerLite.run("/bin/gzip", ["-k", directory + "/data.csv"])
        #expect(zipped == 0)
        Self.expectSame(try Table.read(directory + "/data.csv.gz"), rows)
        try Data("not gzip at all".utf8).write(to: URL(fileURLWithPath: directory + "/bad.csv.gz"))
        // zlib passes bytes that are not gzip through as they are: a one-line file, header only.
        #expect(try Table.read(directory + "/bad.csv.gz").rowCount == 0)
    }

    /// Over 16 MB, two threads read a half each. A quoted field whose line breaks straddle the
    /// middle makes the second half's start wrong: the first thread finds it, and one thread
    /// reads the whole file again. Both give the rows in order, with their lines.
    @Test("two threads: the halves joined in order, and a quoted field across the middle read again by one")
    func parallelHalves() throws {
        let directory = temporaryDirectory()
        var rng = NumPyRandom(seed: 5)
        let rows = 900_000
        var text = "value,word,count\n"
        text.reserveCapacity(24 << 20)
        var expected = [(Double, String)]()
        for i in 0..<rows {
            let value = Double(Int(rng.uniform() * 1e6)) / 1000
            let word = i % 7 == 0 ? "a \"b\", c" : "word\(i % 13)"
            expected.append((value, word))
            text += "\(value),\(word.contains(",") ? "\"a \"\"b\"\", c\"" : word),\(i)\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/plain.csv"))
        #expect(Table.fileSize(directory + "/plain.csv") > 16 << 20)
        let plain = try Table.read(directory + "/plain.csv")
        #expect(plain.rowCount == rows && plain.lines.last == rows + 1)
        guard case .numbers(let values) = plain.columns[0], case .numbers(let counts) = plain.columns[2] else {
            Issue.record("numbers expected")
            return
        }
        #expect(values == expected.map(\.0) && counts == (0..<rows).map(Double.init))
        #expect((0..<rows).allSatisfy { plain.columns[1].text($0) == expected[$0].1 })

        // One field of 2000 lines around the middle of the file: the split lands inside it.
        let middle = text.utf8.count / 2
        var bytes = Array(text.utf8)
        let lineStart = bytes[..<middle].lastIndex(of: UInt8(ascii: "\n"))! + 1
        let long = "\"" + (0..<2000).map { "line \($0)" }.joined(separator: "\n") + "\""
        bytes.insert(contentsOf: Array("1.5,\(long),-1\n".utf8), at: lineStart)
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/straddling.csv"))
        let straddling = try Table.read(directory + "/straddling.csv")
        #expect(straddling.rowCount == rows + 1)
        let row = (1...rows).first { straddling.columns[2].text($0 - 1) == "-1" }! - 1
        #expect(straddling.columns[1].text(row)?.hasPrefix("line 0\nline 1\n") == true)
        #expect(straddling.lines[row + 1] == straddling.lines[row] + 2000, "the long field's lines counted")
        #expect(straddling.columns[2].text(rows) == "\(rows - 1)")
    }

    @Test(
        "corners of the format",
        arguments: [
            // A decimal comma under semicolons (Excel in much of Europe).
            ("a;b\n1,5;x\n-2,25;y\n", ",", [["1.5", "-2.25"], ["x", "y"]]),
            // Spaces around unquoted fields are not part of them; quoted ones keep theirs.
            ("a,b\n 1.5 , x \n2,\" y \"\n", ".", [["1.5", "2"], ["x", " y "]]),
            // Blank lines are skipped; a last line without its line break is read.
            ("a,b\n1,x\n\n2,y", ".", [["1", "2"], ["x", "y"]]),
            // Every missing word, and a leading +.
            ("a,b\nNA,?\nnull,None\n+3,N/A\n", ".", [["-", "-", "3"], ["-", "-", "-"]]),
            // A CR LF inside quotes is part of the text.
            ("a,b\n1,\"p\r\nq\"\r\n2,r\r\n", ".", [["1", "2"], ["p\r\nq", "r"]]),
        ])
    func corners(text: String, decimal: String, columns: [[String]]) throws {
        let path = temporaryFile("data.csv", text)
        let table = try Table.read(path, decimal: decimal.utf8.first!)
        for (j, expected) in columns.enumerated() {
            #expect((0..<table.rowCount).map { table.columns[j].text($0) ?? "-" } == expected, "column \(j)")
        }
    }

    @Test(
        "malformed files: one line naming the line",
        arguments: [
            ("a,b\n1,\"open\n2,3\n", "data.csv:2: a quoted field is not closed before the file ends"),
            (
                "a,b\n1,\"x\"y\n",
                "data.csv:2: field 2: text after its closing quote; a quote inside a quoted field is written \"\""
            ),
            ("a,b\n1,2\n3\n", "data.csv:3: 1 fields, but the header has 2"),
            ("a;b\n1,5;2\n", "data.csv: the delimiter and the decimal mark are both ','"),
        ])
    func malformed(text: String, message: String) throws {
        let path = temporaryFile("data.csv", text)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let delimiter: UInt8? = message.contains("both ','") ? UInt8(ascii: ",") : nil
        #expect(throws: DNNError(directory + "/" + message)) {
            try Table.read(path, delimiter: delimiter, decimal: message.contains("both") ? UInt8(ascii: ",") : 46)
        }
    }

    @Test("numbers are read correctly rounded: the same doubles as Swift's own parser")
    func numbers() throws {
        var rng = NumPyRandom(seed: 6)
        var texts = [
            "0", "-0", "1e308", "2.2250738585072014e-308", "4.9e-324", "123456789012345678901234567890",
            "0.1", "1.7976931348623157e308", ".5", "5.", "1E-5",
        ]
        for _ in 0..<2000 { texts.append("\(rng.randn(1, 1)[0, 0] * pow(10, Double(Int(rng.uniform() * 40) - 20)))") }
        let table = try Table.read(temporaryFile("n.csv", "x\n" + texts.joined(separator: "\n") + "\n"))
        guard case .numbers(let values) = table.columns[0] else {
            Issue.record("numbers expected")
            return
        }
        #expect(zip(texts, values).allSatisfy { Double($0)!.bitPattern == $1.bitPattern })
    }
}

/// Runs a program and returns its exit status (for the gzip command).
enum CommandRunnerLite {
    static func run(_ program: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
