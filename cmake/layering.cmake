# Dependencies point inward. Every layer includes headers by their path from the
# repository root ("decoders/hex.hpp"), so the include lines tell which layer a
# file depends on; configuration fails if a layer reaches outward.
set(CHAINSYNCD_LAYERS decoders store chains api daemon)
set(CHAINSYNCD_ALLOWED_decoders decoders)
set(CHAINSYNCD_ALLOWED_store decoders store)
set(CHAINSYNCD_ALLOWED_chains decoders store chains)
set(CHAINSYNCD_ALLOWED_api decoders store api)
set(CHAINSYNCD_ALLOWED_daemon decoders store chains api daemon)

function(chainsyncd_check_layering layer)
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS
       "${PROJECT_SOURCE_DIR}/${layer}/*.hpp" "${PROJECT_SOURCE_DIR}/${layer}/*.cpp")
  foreach(source IN LISTS sources)
    file(STRINGS "${source}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^/\"]+)/.*$" "\\1" top "${line}")
      if(top IN_LIST CHAINSYNCD_LAYERS AND NOT top IN_LIST CHAINSYNCD_ALLOWED_${layer})
        file(RELATIVE_PATH rel "${PROJECT_SOURCE_DIR}" "${source}")
        message(FATAL_ERROR "layering: ${rel} includes ${top}/: ${layer}/ may depend only on ${CHAINSYNCD_ALLOWED_${layer}}")
      endif()
    endforeach()
  endforeach()
endfunction()
