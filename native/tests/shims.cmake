# CTest programs for mv_syscalls.h, the STM32U5 shims and the example.
#
# tests/CMakeLists.txt includes this file with include(shims.cmake); the
# sanitizer flags come from the top level. The shim tests link the shim sources with
# a virtual kernel clock (fake_kernel_clock.c) instead of libmvhost, so they run
# without a kernel. Each runs twice: against a static and against a shared
# build of the shims, because an app's own handler replaces the weak default
# by a different mechanism in each.

find_package(Threads REQUIRED)
include(${CMAKE_CURRENT_LIST_DIR}/../cmake/MvhostShimSources.cmake)

set(MVHOST_TEST_INCLUDE_DIRS
    ${CMAKE_CURRENT_LIST_DIR}/../include
    ${CMAKE_CURRENT_LIST_DIR}/../src
)

function(mvhost_strict_c target)
    set_target_properties(${target} PROPERTIES
        C_STANDARD 11
        C_STANDARD_REQUIRED ON
        C_EXTENSIONS OFF)
    target_include_directories(${target} PRIVATE ${MVHOST_TEST_INCLUDE_DIRS})
    target_compile_definitions(${target} PRIVATE _POSIX_C_SOURCE=200809L)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
endfunction()

# The header test fails at compile time if a layout or value is wrong.
if(NOT TARGET header_layout_test)
    add_executable(header_layout_test header_layout_test.c)
    add_test(NAME header_layout_test COMMAND header_layout_test)
endif()
mvhost_strict_c(header_layout_test)

# The header must also compile as C++ (extern "C" guards, enums over int).
include(CheckLanguage)
check_language(CXX)
if(CMAKE_CXX_COMPILER)
    enable_language(CXX)
    add_executable(header_cxx_test header_cxx_test.cpp)
    set_target_properties(header_cxx_test PROPERTIES CXX_STANDARD 11 CXX_STANDARD_REQUIRED ON)
    target_include_directories(header_cxx_test PRIVATE ${MVHOST_TEST_INCLUDE_DIRS})
    target_compile_options(header_cxx_test PRIVATE -Wall -Wextra -Wpedantic -Werror)
    add_test(NAME header_cxx COMMAND header_cxx_test)
endif()

# The shims without libmvhost: static and shared, the shared one built with
# hidden visibility as libmvhost may be.
add_library(mvhost_shims_static STATIC ${MVHOST_SHIM_SOURCES})
mvhost_strict_c(mvhost_shims_static)
target_link_libraries(mvhost_shims_static PUBLIC Threads::Threads ${CMAKE_DL_LIBS})

add_library(mvhost_shims_shared SHARED ${MVHOST_SHIM_SOURCES})
mvhost_strict_c(mvhost_shims_shared)
set_target_properties(mvhost_shims_shared PROPERTIES C_VISIBILITY_PRESET hidden)
target_link_libraries(mvhost_shims_shared PUBLIC Threads::Threads ${CMAKE_DL_LIBS})

foreach(test_name nvic_test hal_delay_test)
    foreach(variant static shared)
        set(target ${test_name}_${variant})
        add_executable(${target} ${test_name}.c fake_kernel_clock.c)
        mvhost_strict_c(${target})
        target_link_libraries(${target} PRIVATE mvhost_shims_${variant})
        add_test(NAME ${target} COMMAND ${target})
        set_tests_properties(${target} PROPERTIES TIMEOUT 30)
    endforeach()
endforeach()

# The config fetch example against a scripted kernel, so its logic is tested
# without the Java kernel. It links the example's sources, not libmvhost.
set(EXAMPLE_DIR ${CMAKE_CURRENT_LIST_DIR}/../examples)
add_executable(config_fetch_example_test
    config_fetch_example_test.c
    fake_config_kernel.c
    fake_kernel_clock.c
    ${EXAMPLE_DIR}/config_fetch.c
    ${EXAMPLE_DIR}/notifications.c)
mvhost_strict_c(config_fetch_example_test)
target_include_directories(config_fetch_example_test PRIVATE ${EXAMPLE_DIR})
target_link_libraries(config_fetch_example_test PRIVATE mvhost_shims_static)
add_test(NAME config_fetch_example COMMAND config_fetch_example_test)
set_tests_properties(config_fetch_example PROPERTIES TIMEOUT 30)

# A firmware library loaded after the shims, as the JVM does through JNA: its
# handler must still replace the default.
add_library(late_handler_lib SHARED late_handler_lib.c)
mvhost_strict_c(late_handler_lib)
add_executable(late_load_test late_load_test.c fake_kernel_clock.c)
mvhost_strict_c(late_load_test)
target_compile_definitions(late_load_test PRIVATE
    LATE_HANDLER_LIB_PATH="$<TARGET_FILE:late_handler_lib>")
target_link_libraries(late_load_test PRIVATE mvhost_shims_shared ${CMAKE_DL_LIBS})
add_dependencies(late_load_test late_handler_lib)
add_test(NAME late_load COMMAND late_load_test)
