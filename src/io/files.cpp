#include "io/files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

namespace llm::io {

std::string read_file(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw std::runtime_error("cannot read '" + path + "': it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read '" + path + "': " + std::strerror(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw std::runtime_error("cannot read '" + path + "': read error");
    return ss.str();
}

void make_dirs(const std::string& dir) {
    if (dir.empty()) return;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create directory '" + dir + "': " + ec.message());
}

namespace {

// LLM_FAULT_INJECT is "before_rename", or "before_rename:NAME" and target's file name is NAME.
bool fault_before_rename(const std::filesystem::path& target) {
    const char* f = std::getenv("LLM_FAULT_INJECT");
    if (!f) return false;
    const std::string_view v(f), tag = "before_rename";
    if (v == tag) return true;
    return v.starts_with(tag) && v.size() > tag.size() && v[tag.size()] == ':' &&
           v.substr(tag.size() + 1) == target.filename().string();
}

}  // namespace

void write_file_atomic(const std::string& path, std::string_view bytes) {
    const std::filesystem::path target(path);
    make_dirs(target.parent_path().string());
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());

    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("cannot write '" + path + "': " + std::strerror(errno));
    const char* p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const std::string why = std::strerror(errno);
            ::close(fd);
            ::unlink(tmp.c_str());
            throw std::runtime_error("cannot write '" + path + "': " + why);
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot write '" + path + "': " + why);
    }
    if (fault_before_rename(target)) std::_Exit(3);  // simulated kill: the temporary file exists, the target is untouched
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot write '" + path + "': " + why);
    }
}

}  // namespace llm::io
