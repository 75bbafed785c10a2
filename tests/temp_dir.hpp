#pragma once
// A fresh, empty directory for one test, removed with everything in it when
// the test ends (permissions restored first, so a test that made a file
// unreadable still cleans up). Shared by the test files that write files.
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include <unistd.h>

namespace llm::testing {

class TempDir {
public:
    std::filesystem::path path;

    TempDir() {
        static int counter = 0;
        std::string name = "llm_test_";       // appended piecewise: g++ 12 warns (-Wrestrict) on "lit" + string
        name += std::to_string(::getpid());
        name += '_';
        name += std::to_string(counter++);
        path = std::filesystem::temp_directory_path() / name;
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::permissions(path, std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::add, ec);
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    // The path of `name` inside the directory.
    std::string operator/(const std::string& name) const { return (path / name).string(); }
    // Writes `bytes` to `name` (creating subfolders) and returns its path.
    std::string write(const std::string& name, const std::string& bytes) const {
        std::filesystem::create_directories((path / name).parent_path());
        std::ofstream(path / name, std::ios::binary) << bytes;
        return (path / name).string();
    }
    // Entries in the directory (or in a subfolder of it).
    std::size_t count(const std::string& sub = ".") const {
        return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(path / sub), {}));
    }
};

}  // namespace llm::testing
