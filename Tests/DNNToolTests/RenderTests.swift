import DNN
import Foundation
import Testing

/// Headless Chromium, from Debian's `chromium` (`scripts/install-deps --tests` installs it).
let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// The report and the plots opened as a person opens them: in a browser, from disk.
@Suite(
    "Reports and plots render in a browser",
    .enabled(if: chromium != nil, "chromium is not installed (scripts/install-deps --tests installs it); skipped"))
struct RenderTests {
    /// Runs headless Chromium with `arguments` on `file` and returns what it printed.
    static func browser(_ arguments: [String], _ file: String) throws -> CommandRunner.Result {
        try CommandRunner.run(
            URL(fileURLWithPath: chromium!),
            ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]
                + arguments + ["file://" + file])
    }

    /// Screenshots `file` and checks the picture is not blank: many colours, and ink on more than 1%
    /// of it (a line chart is mostly white paper; a blank page has none).
    static func expectDrawn(_ file: String, width: Int, height: Int) throws {
        let png = file + ".png"
        let shot = try browser(["--window-size=\(width),\(height)", "--screenshot=\(png)"], file)
        #expect(shot.status == 0, "\(shot.stderr)")
        #expect(!shot.stderr.contains("Uncaught") && !shot.stderr.contains(":CONSOLE"), "\(shot.stderr)")
        let image = try RGBImage(contentsOf: png)
        #expect(image.width == width && image.height == height)
        var colours = Set<Int>()
        var inked = 0
        for p in stride(from: 0, to: image.pixels.count, by: 3) {
            let (r, g, b) = (Int(image.pixels[p]), Int(image.pixels[p + 1]), Int(image.pixels[p + 2]))
            colours.insert(r << 16 | g << 8 | b)
            if r + g + b < 720 { inked += 1 }
        }
        #expect(colours.count > 20, "\(file): \(colours.count) colours")
        #expect(Double(inked) / Double(width * height) > 0.01, "\(file): almost blank")
    }

    @Test("the training report and the plots of the built-in data")
    func flower() throws {
        let directory = temporaryDirectory()
        let train = try CommandRunner.run(
            [
                "train", "--layers", "10,5", "--init", "he", "--learning-rate", "0.3", "--iterations", "800",
                "--report", "report.html", "--plot", "cost.svg", "--boundary-plot", "boundary.svg",
            ],
            in: directory)
        #expect(train.status == 0, "\(train.stderr)")
        let dom = try Self.browser(["--dump-dom"], directory + "/report.html")
        #expect(dom.status == 0)
        for text in [
            "<h1>Training report</h1>", "Shape of W", "predicted red", "class=\"cost-curve\"", "class=\"regions\"",
        ] {
            #expect(dom.stdout.contains(text), "the rendered page lacks \(text)")
        }
        try Self.expectDrawn(directory + "/report.html", width: 1000, height: 1800)
        try Self.expectDrawn(directory + "/cost.svg", width: 640, height: 440)
        try Self.expectDrawn(directory + "/boundary.svg", width: 640, height: 440)
    }

    @Test(
        "an evaluation report with mislabelled pictures shows them",
        .enabled(if: FileManager.default.fileExists(atPath: SharedData.path("test_catvnoncat.h5"))))
    func pictures() throws {
        let directory = temporaryDirectory()
        let train = try CommandRunner.run(
            [
                "train", "--train", SharedData.path("train_catvnoncat.h5"), "--iterations", "300", "--output",
                "cat.json",
            ],
            in: directory)
        #expect(train.status == 0, "\(train.stderr)")
        let evaluate = try CommandRunner.run(
            ["evaluate", "--model", "cat.json", "--data", SharedData.path("test_catvnoncat.h5"), "--report", "r.html"],
            in: directory)
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        let html = try String(contentsOfFile: directory + "/r.html", encoding: .utf8)
        #expect(html.contains("data:image/png;base64,"))
        #expect(
            html.contains("Prediction: cat<br>Class: non-cat") || html.contains("Prediction: non-cat<br>Class: cat"))
        // Everything is inline: no picture, style or script is fetched (the SVG namespace URI is a name, not a fetch).
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("url(http"))
        let dom = try Self.browser(["--dump-dom"], directory + "/r.html")
        #expect(dom.stdout.contains("Mislabelled pictures"))
        try Self.expectDrawn(directory + "/r.html", width: 1000, height: 1600)
    }
}
