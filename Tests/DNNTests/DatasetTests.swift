import DNN
import Foundation
import Testing

@Suite("Data: the course's HDF5 files, CSV, the built-in flower set")
struct DatasetTests {
    @Test("a small HDF5 file in the course's layout: flattened row-major, /255, class names")
    func tinyHDF5() throws {
        let data = try Dataset.load(Fixtures.path("tiny_images.h5"))
        // Pixels as numpy wrote them (scripts/make-hdf5-fixtures.py prints them): 3 images of 2x2x3.
        let pixels: [Double] = [
            172, 47, 117, 192, 67, 251, 195, 103, 9, 211, 21, 242, 36, 87, 70, 216, 88, 140,
            58, 193, 230, 39, 87, 174, 88, 81, 165, 25, 77, 72, 9, 148, 115, 208, 243, 197,
        ]
        #expect(data.X.rows == 12 && data.X.cols == 3)
        for i in 0..<3 {
            for f in 0..<12 { #expect(data.X[f, i] == pixels[i * 12 + f] / 255) }
        }
        #expect(data.Y == Matrix([[0, 1, 1]]))
        #expect(data.classNames == ["non-cat", "cat"])
        #expect(data.imageShape == [2, 2, 3])
    }

    /// A process of distributed training reads its shard: HDF5 by hyperslab, CSV parsing its rows;
    /// both keep the whole file's classes.
    @Test("a shard of a file: the examples asked for, the whole file's classes")
    func shards() throws {
        let whole = try Dataset.load(Fixtures.path("tiny_images.h5"))
        let hdf5 = try Dataset.load(Fixtures.path("tiny_images.h5"), shard: { m in m - 1..<m })
        #expect(hdf5.X == Matrix(rows: 12, cols: 1, scalars: (0..<12).map { whole.X[$0, 2] }))
        #expect(hdf5.Y == Matrix([[1]]) && hdf5.classNames == whole.classNames && hdf5.imageShape == [2, 2, 3])
        let first = try Dataset.load(Fixtures.path("tiny_images.h5"), shard: { _ in 0..<1 })
        #expect(first.Y == Matrix([[0]]) && first.X.cols == 1 && first.X[11, 0] == whole.X[11, 0])

        let path = NSTemporaryDirectory() + "dnn-shard-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Five examples (a blank line among them); the largest label lies outside the shard.
        try Data("x1,x2,label\n1,10,0\n2,20,1\n\n3,30,1\n4,40,2\n5,50,0\n".utf8).write(to: URL(fileURLWithPath: path))
        var counted = 0
        // Three classes among five examples would be refused as too many distinct numbers to be
        // classes without being told (see TargetColumns): this file says they are.
        let csv = try Dataset.load(
            path, columns: CSVColumns(task: .classification),
            shard: { m in
                counted = m
                return 1..<3
            })
        #expect(counted == 5)
        #expect(csv.X == Matrix([[2, 3], [20, 30]]))
        #expect(csv.Y == Matrix([[1, 1]]))
        #expect(csv.classCount == 3 && csv.featureNames == ["x1", "x2"])
    }

    @Test("the course's cat files", .enabled(if: SharedData.hasCatFiles, SharedData.skipReason))
    func catFiles() throws {
        let train = try Dataset.load(SharedData.path("train_catvnoncat.h5"))
        let test = try Dataset.load(SharedData.path("test_catvnoncat.h5"))
        #expect(train.featureCount == 12288 && train.exampleCount == 209)
        #expect(test.featureCount == 12288 && test.exampleCount == 50)
        #expect(train.classNames == ["non-cat", "cat"])
        // Values printed by numpy from the same file (x.reshape(209, -1).T / 255.).
        #expect(train.X[0, 0] == 0.06666666666666667)
        #expect(train.X[5000, 100] == 0.5254901960784314)
        #expect(train.X[12287, 208] == 0)
        #expect(Array(train.Y.scalars.prefix(10)) == [0, 0, 1, 0, 0, 0, 0, 1, 0, 0])
        // Sum of all 2.5 million values: 1037419.9098039216 in numpy (pairwise summation). Ours
        // adds them in sequence, whose rounding error can reach n·ε ≈ 3e-10 relative; a wrong
        // layout or scale would be off by far more.
        #expect(abs(train.X.sum() - 1_037_419.9098039216) / 1_037_419.9098039216 < 1e-9)
    }

    @Test(
        "HDF5 problems name the file and what is wrong",
        arguments: [
            ("no_x_dataset.h5", ": no dataset named like train_set_x or test_set_x (found: images, train_set_y)"),
            ("no_y_dataset.h5", ": has train_set_x but no train_set_y"),
            ("float_pixels.h5", ": train_set_x holds 64-bit floats; expected unsigned 8-bit integers (pixels)"),
            ("float_labels.h5", ": train_set_y holds 32-bit floats; expected integer labels"),
            ("count_mismatch.h5", ": train_set_y has shape [2] but train_set_x holds 3 examples"),
            // Found by scripts/fuzz hdf5: 10¹⁸ class names were once made for this label.
            ("huge_label.h5", ": train_set_y holds label 1000000000000000000; a class number is below 1000000"),
            // Found by scripts/fuzz hdf5: the features of no examples, whose count overflowed.
            ("empty_overflowing_x.h5", ": train_set_x has shape [0, 1099511627776, 1099511627776, 3]; it is empty"),
            // Found by scripts/fuzz hdf5: integers of 2 GB each, which libhdf5 allocated.
            ("wide_integer_labels.h5", ": train_set_y holds signed 128-bit integers; expected integer labels"),
            ("not_hdf5.h5", ": not an HDF5 file"),
            ("missing.h5", ": no such file"),
        ])
    func hdf5Errors(file: String, message: String) {
        let path = Fixtures.path(file)
        #expect(throws: DNNError(path + message)) {
            try Dataset.load(path)
        }
    }

    /// Found by `scripts/fuzz hdf5`: on this damaged file of 3 KB, Debian's HDF5 1.10 dereferences
    /// a null pointer inside `H5Gget_info`. The guard turns the crash into one line and status 1;
    /// an HDF5 that reads the file without crashing refuses it with an error instead.
    @Test("a file the HDF5 library crashes on ends the process with one line and status 1")
    func hdf5LibraryCrash() async throws {
        let path = Fixtures.path("hdf5_library_crash.h5")
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            do {
                _ = try Dataset.load(Fixtures.path("hdf5_library_crash.h5"))
            } catch {
                exit(1)
            }
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(
            stderr.isEmpty || stderr.hasSuffix(": \(path): damaged HDF5 file (the HDF5 library crashed reading it)\n"))
        #expect(stderr.split(separator: "\n").count <= 1)
    }

    @Test("CSV: header, features as rows, the label column by name")
    func csvLoads() throws {
        let data = try Dataset.load(temporaryFile("data.csv", "x1,label,x2\n1.5,0,-2\n3,1,4e-1\n\n"))
        #expect(data.X == Matrix([[1.5, 3], [-2, 0.4]]))
        #expect(data.Y == Matrix([[0, 1]]))
        let byName = try Dataset.load(temporaryFile("data.csv", "a,b,y\n1,2,1\n"), labelColumn: "y")
        #expect(byName.X == Matrix([[1], [2]]))
        let windows = try Dataset.load(temporaryFile("data.csv", "x1,x2,label\r\n1,2,0\r\n3,4,1\r\n"))
        #expect(windows.X == Matrix([[1, 3], [2, 4]]) && windows.Y == Matrix([[0, 1]]))
    }

    @Test(
        "CSV problems name the line and the column",
        arguments: [
            ("x1,x2,label\n1,2,0\n3,4\n", ":3: 2 fields, but the header has 3"),
            ("x1,x2,label\n1,2,0\n3,4,1,5\n", ":3: 4 fields, but the header has 3"),
            (
                "x1,x2,label\n1,2,0\n3,4,\n",
                ":3: column 'label': no target (a missing value); --drop-missing-target leaves such rows out"
            ),
            ("x1,x2,label\n1,2,0.5\n3,4,inf\n", ":3: column 'label': target inf is not finite"),
            ("x1,x2,label\n-inf,2,0\n", ":2: column 'x1': -inf is not finite"),
            ("x1,x2,label\n1,inf,0\n", ":2: column 'x2': inf is not finite"),
            ("x1,x2,y\n1,2,0\n", ": no column named 'label' in the header (x1, x2, y)"),
            ("", ": empty file; expected a header row"),
            ("x1,label\n", ": a header but no examples"),
        ])
    func csvErrors(text: String, message: String) {
        let path = temporaryFile("data.csv", text)
        #expect(throws: DNNError(path + message)) { try Dataset.load(path) }
    }

    @Test("an unknown extension and a directory")
    func otherFiles() {
        let directory = temporaryDirectory()
        let path = directory + "/data.dat"
        FileManager.default.createFile(atPath: path, contents: Data("1".utf8))
        #expect(
            throws: DNNError(
                "\(path): unknown data format; expected an HDF5 file (.h5) or delimited text (.csv, .tsv, .txt, or .gz of one)"
            )
        ) {
            try Dataset.load(path)
        }
        #expect(throws: DNNError("\(directory): is a directory, not a file")) { try Dataset.load(directory) }
    }

    @Test("the built-in flower data set matches section D of the reference values")
    func flower() {
        let data = Dataset.flower()
        #expect(data.X.rows == 2 && data.X.cols == 400)
        let first3 = Matrix(rows: 2, cols: 3, scalars: [0, 1, 2, 400, 401, 402].map { data.X.scalars[$0] })
        let cols200 = Matrix(rows: 2, cols: 2, scalars: [200, 201, 600, 601].map { data.X.scalars[$0] })
        expectReference(first3, "D1", "X_first3")
        expectReference(cols200, "D1", "X_cols_200_201")
        expectReferenceNumber(data.X.sum(), "D1", "X_sum")
        expectReferenceNumber(data.X.map(abs).sum(), "D1", "X_abs_sum")
        expectReferenceNumber(data.Y.sum(), "D1", "Y_sum")
    }
}
