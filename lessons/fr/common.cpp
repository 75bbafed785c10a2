// French catalogue: what every lesson prints through the report layer
// (src/viz/report.cpp). Keys as src/viz/i18n.hpp explains.
#include "viz/i18n.hpp"

namespace {

constexpr llm::i18n::Entry kEntries[] = {
    {"Figures written to %s/:", "Figures écrites dans %s/ :"},
};
const llm::i18n::Catalogue kCatalogue{kEntries};

}  // namespace
