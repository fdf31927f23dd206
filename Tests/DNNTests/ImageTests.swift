import DNN
import Foundation
import Testing

@Suite("Pictures: decoding to RGB, the course's column layout, resizing, PNG")
struct ImageTests {
    @Test("a PNG decodes to its pixels, row by row, and becomes the course's column")
    func decode() throws {
        let image = try RGBImage(contentsOf: Fixtures.path("rgb_3x2.png"))
        #expect(image.width == 3 && image.height == 2)
        // The pixels scripts/make-image-fixtures.py wrote.
        #expect(image.pixels == [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90])
        let column = image.column
        #expect(column.rows == 18 && column.cols == 1)
        #expect(column[3, 0] == 0 && column[4, 0] == 1 && column[9, 0] == 10.0 / 255)
        #expect(RGBImage(column: column.scalars, shape: [2, 3, 3]) == image)
    }

    @Test("grey repeats into three channels; alpha is dropped")
    func conversions() throws {
        #expect(
            try RGBImage(contentsOf: Fixtures.path("grey_2x2.png")).pixels == [
                0, 0, 0, 85, 85, 85, 170, 170, 170, 255, 255, 255,
            ])
        #expect(try RGBImage(contentsOf: Fixtures.path("rgba_2x1.png")).pixels == [1, 2, 3, 4, 5, 6])
    }

    @Test("resizing keeps a flat colour, and PNG encoding round-trips")
    func resizeAndEncode() throws {
        let photo = try RGBImage(contentsOf: Fixtures.path("photo.jpg"))
        let small = photo.resized(width: 64, height: 64)
        #expect(small.width == 64 && small.height == 64)
        // A single colour stays that colour, give or take JPEG's rounding.
        #expect(zip(small.pixels, photo.pixels).allSatisfy { abs(Int($0) - Int($1)) <= 3 })
        let path = temporaryDirectory() + "/small.png"
        try small.pngData().write(to: URL(fileURLWithPath: path))
        #expect(try RGBImage(contentsOf: path) == small)
    }

    @Test(
        "files that are not pictures, or are cut short, are errors naming the file",
        arguments: [
            ("text.jpg", "not an image that can be read (unknown image type)"),
            ("truncated.jpg", "truncated JPEG (no end-of-image marker)"),
            ("truncated.png", "truncated PNG (no IEND chunk)"),
            ("absent.jpg", "no such file"),
        ])
    func badFiles(file: String, message: String) {
        let path = Fixtures.path(file)
        #expect(throws: DNNError("\(path): \(message)")) { try RGBImage(contentsOf: path) }
    }

    @Test("only a model that takes 64x64x3 pictures predicts on a photo")
    func wrongModel() throws {
        let model = try DeepNeuralNetwork(layerSizes: [2, 3, 1])
        #expect(
            throws: DNNError("the model takes 2 features, not a 64x64x3 picture (12288); pictures need an image model")
        ) {
            try model.predictImage(atPath: Fixtures.path("photo.jpg"))
        }
    }

    @Test(
        "the course's own photo, with the L-layer model trained as the course trains it",
        .enabled(if: SharedData.hasCatFiles, SharedData.skipReason))
    func coursePhoto() throws {
        let train = try Dataset.load(SharedData.path("train_catvnoncat.h5"))
        var model = try DeepNeuralNetwork(layerSizes: [12288, 20, 7, 5, 1], classNames: train.classNames)
        model.inputShape = train.imageShape
        try model.train(train.X, train.Y, learningRate: 0.0075, iterations: 2500)
        let (label, probabilities) = try model.predictImage(atPath: SharedData.path("my_image.jpg"))
        print("my_image.jpg: \(model.classNames[label]), probability of cat \(probabilities[1])")
        #expect(model.classNames[label] == "cat")
    }

    /// A GIF or PNG cut short is refused (stb would fill the rest blank), and a header that claims
    /// more pixels than the cap is refused before decoding.
    @Test("truncated GIF and PNG, and a gigapixel header, are one-line errors")
    func truncatedAndHuge() throws {
        let gif: [UInt8] = [
            0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00,
            0x00, 0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
            0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
        ]
        let directory = temporaryDirectory()
        let whole = directory + "/whole.gif", cut = directory + "/cut.gif", huge = directory + "/huge.png"
        FileManager.default.createFile(atPath: whole, contents: Data(gif))
        FileManager.default.createFile(atPath: cut, contents: Data(gif.dropLast(4)))
        #expect(try RGBImage(contentsOf: whole).width == 1)
        #expect(throws: DNNError("\(cut): truncated GIF (no trailer)")) { try RGBImage(contentsOf: cut) }
        // A cut whose last byte happens to be the trailer's value: the block terminator before it is missing.
        let unlucky = directory + "/unlucky.gif"
        FileManager.default.createFile(atPath: unlucky, contents: Data(gif.dropLast(3) + [0x3B]))
        #expect(throws: DNNError("\(unlucky): truncated GIF (no trailer)")) { try RGBImage(contentsOf: unlucky) }
        // A PNG signature and an IHDR of 10000×10000 (RGB), then IEND: a few dozen bytes.
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        png += [0x00, 0x00, 0x27, 0x10, 0x00, 0x00, 0x27, 0x10, 8, 2, 0, 0, 0, 0, 0, 0, 0]
        png += [0, 0, 0, 0] + Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82]
        FileManager.default.createFile(atPath: huge, contents: Data(png))
        #expect(
            throws: DNNError("\(huge): 10000x10000 pixels, more than the 50000000 a picture may have here")
        ) { try RGBImage(contentsOf: huge) }
        // 20000×20000×3 is past stb's own limit, which it reports as "unknown image type".
        png.replaceSubrange(16..<24, with: [0x00, 0x00, 0x4E, 0x20, 0x00, 0x00, 0x4E, 0x20])
        FileManager.default.createFile(atPath: huge, contents: Data(png))
        #expect(
            throws: DNNError("\(huge): 20000x20000 pixels, more than the 50000000 a picture may have here")
        ) { try RGBImage(contentsOf: huge) }
    }

    /// Found by `scripts/fuzz image`: stb reads a PNM header with nothing after it as 0×0 pixels.
    @Test("a picture header of no pixels is a one-line error")
    func noPixels() throws {
        let path = temporaryFile("empty.ppm", "P6\n")
        #expect(throws: DNNError("\(path): a picture of 0x0 pixels (damaged or truncated)")) {
            try RGBImage(contentsOf: path)
        }
    }
}
