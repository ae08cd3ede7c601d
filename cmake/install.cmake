# Install rules (`cmake --install`, GNUInstallDirs) and the Debian package
# (`cpack -G DEB`; see contrib/scripts/check-package.sh).
#
#   bin/chainsyncd
#   lib/systemd/system/chainsyncd.service   (ExecStart= rewritten to the install prefix)
#   lib/sysusers.d/chainsyncd.conf          (the chainsyncd system user)
#   share/man/man8/chainsyncd.8.gz
#   share/doc/chainsyncd/chainsyncd.example.toml
#   share/doc/chainsyncd/copyright          (DEP-5; no licence chosen yet)
#   share/doc/chainsyncd/chainsyncd.logrotate
#   share/doc/chainsyncd/changelog.gz       (Debian Policy §12.7)
#   share/lintian/overrides/chainsyncd      (package only: the intentional lintian tags)
#   /etc/chainsyncd/chainsyncd.toml         (package only, a conffile: component deb_conffiles)
#   /etc/logrotate.d/chainsyncd             (package only, a conffile)
#
# A plain `cmake --install` never writes /etc: an operator copies the
# example config; the package owns the conffile and lets dpkg merge upgrades.
include(GNUInstallDirs)

set(CHAINSYNCD_SYSTEMD_UNITDIR "lib/systemd/system" CACHE STRING
    "systemd system unit directory (relative paths are under the install prefix)")
set(CHAINSYNCD_SYSUSERSDIR "lib/sysusers.d" CACHE STRING
    "sysusers.d directory (relative paths are under the install prefix)")
set(CHAINSYNCD_DEB_MAINTAINER "chainsyncd maintainers <maintainers@chainsyncd.invalid>" CACHE STRING
    "Maintainer field of the Debian package")

set(chainsyncd_contrib "${PROJECT_SOURCE_DIR}/contrib")

install(TARGETS chainsyncd RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT runtime)

# The unit in contrib/systemd names /usr/bin/chainsyncd, so it can be checked
# as it stands (systemd-analyze verify); installing rewrites that to the
# binary's real place. The prefix is read when the install runs, so
# `--prefix` and CPack's /usr both come out right.
set(chainsyncd_unit_template "${chainsyncd_contrib}/systemd/chainsyncd.service")
install(CODE "
  set(unit_dir \"${CHAINSYNCD_SYSTEMD_UNITDIR}\")
  if(NOT IS_ABSOLUTE \"\${unit_dir}\")
    set(unit_dir \"\${CMAKE_INSTALL_PREFIX}/\${unit_dir}\")
  endif()
  set(bin_dir \"${CMAKE_INSTALL_BINDIR}\")
  if(NOT IS_ABSOLUTE \"\${bin_dir}\")
    set(bin_dir \"\${CMAKE_INSTALL_PREFIX}/\${bin_dir}\")
  endif()
  file(READ \"${chainsyncd_unit_template}\" unit_text)
  string(REPLACE \"/usr/bin/chainsyncd \" \"\${bin_dir}/chainsyncd \" unit_text \"\${unit_text}\")
  set(staged \"${CMAKE_CURRENT_BINARY_DIR}/install-staging/chainsyncd.service\")
  file(WRITE \"\${staged}\" \"\${unit_text}\")
  file(INSTALL DESTINATION \"\${unit_dir}\" TYPE FILE
       PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ FILES \"\${staged}\")
" COMPONENT runtime)

install(FILES "${chainsyncd_contrib}/systemd/chainsyncd.sysusers"
        DESTINATION "${CHAINSYNCD_SYSUSERSDIR}" RENAME chainsyncd.conf COMPONENT runtime)

# Debian Policy §12.1: man pages are installed gzip-compressed (-n: no name or
# time stamp, so the package is reproducible).
find_program(CHAINSYNCD_GZIP gzip REQUIRED)
set(chainsyncd_man_gz "${CMAKE_CURRENT_BINARY_DIR}/chainsyncd.8.gz")
add_custom_command(
  OUTPUT "${chainsyncd_man_gz}"
  COMMAND sh -c "\"${CHAINSYNCD_GZIP}\" -9n -c \"$1\" > \"$2\"" sh
          "${PROJECT_SOURCE_DIR}/docs/chainsyncd.8" "${chainsyncd_man_gz}"
  DEPENDS "${PROJECT_SOURCE_DIR}/docs/chainsyncd.8"
  COMMENT "Compressing the chainsyncd(8) man page"
  VERBATIM)
add_custom_target(chainsyncd_man ALL DEPENDS "${chainsyncd_man_gz}")
install(FILES "${chainsyncd_man_gz}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man8" COMPONENT runtime)

install(FILES "${chainsyncd_contrib}/chainsyncd.example.toml" "${PROJECT_SOURCE_DIR}/README.md"
              "${chainsyncd_contrib}/debian/copyright"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}" COMPONENT runtime)
# Debian Policy §12.7: a native package's changelog, gzip -9n like the man page.
configure_file("${chainsyncd_contrib}/debian/changelog.in" "${CMAKE_CURRENT_BINARY_DIR}/changelog" @ONLY)
set(chainsyncd_changelog_gz "${CMAKE_CURRENT_BINARY_DIR}/changelog.gz")
add_custom_command(
  OUTPUT "${chainsyncd_changelog_gz}"
  COMMAND sh -c "\"${CHAINSYNCD_GZIP}\" -9n -c \"$1\" > \"$2\"" sh
          "${CMAKE_CURRENT_BINARY_DIR}/changelog" "${chainsyncd_changelog_gz}"
  DEPENDS "${CMAKE_CURRENT_BINARY_DIR}/changelog"
  COMMENT "Compressing the changelog"
  VERBATIM)
add_custom_target(chainsyncd_changelog ALL DEPENDS "${chainsyncd_changelog_gz}")
install(FILES "${chainsyncd_changelog_gz}" DESTINATION "${CMAKE_INSTALL_DOCDIR}" COMPONENT runtime)
# For an operator who installs without the package and logs to a file.
install(FILES "${chainsyncd_contrib}/logrotate/chainsyncd"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}" RENAME chainsyncd.logrotate COMPONENT runtime)

# The package's configuration (the example, which validates as it stands).
# Root-only until postinst gives it to the chainsyncd group: it may hold
# bearer tokens and API keys.
install(FILES "${chainsyncd_contrib}/chainsyncd.example.toml"
        DESTINATION "/etc/chainsyncd" RENAME chainsyncd.toml
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ
        COMPONENT deb_conffiles EXCLUDE_FROM_ALL)
# logrotate(8) for [daemon] log_file under /var/log/chainsyncd; SIGHUP reopens.
install(FILES "${chainsyncd_contrib}/logrotate/chainsyncd"
        DESTINATION "/etc/logrotate.d"
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
        COMPONENT deb_conffiles EXCLUDE_FROM_ALL)

install(FILES "${chainsyncd_contrib}/debian/lintian-overrides"
        DESTINATION "share/lintian/overrides" RENAME chainsyncd
        COMPONENT deb_conffiles EXCLUDE_FROM_ALL)

# --- CPack: one Debian package --------------------------------------------
set(CPACK_PACKAGE_NAME "chainsyncd")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "chainsyncd")
set(CPACK_PACKAGE_CONTACT "${CHAINSYNCD_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "chain-sync daemon: BSC, Solana and TRON indexer with a read-only HTTP API")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES TRUE)
# Both components go into the one package; installing them by name makes
# CPack include deb_conffiles, which `cmake --install` skips.
set(CPACK_COMPONENTS_ALL runtime deb_conffiles)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_GENERATOR "DEB")

set(CPACK_DEBIAN_PACKAGE_NAME "chainsyncd")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CHAINSYNCD_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# CPack puts the summary above this as the synopsis line.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "chainsyncd follows BSC (any EVM chain), Solana and TRON through their public
node interfaces, decodes escrow, staking, compute-reserve and payout events
and Solana stake accounts into a local SQLite database, and serves read-only
HTTP views (access, tier, ledger, discount, payout status) computed only from
that synced state. It runs under systemd (Type=notify, watchdog, hardened
unit) and can re-index any chain from a given height.")
# Library dependencies from dpkg-shlibdeps; the maintainer scripts use only
# Priority: required tools (useradd, install, getent) and guard the optional
# ones (systemd-sysusers, deb-systemd-helper).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${chainsyncd_contrib}/debian/conffiles"
    "${chainsyncd_contrib}/debian/postinst"
    "${chainsyncd_contrib}/debian/prerm"
    "${chainsyncd_contrib}/debian/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

include(CPack)
