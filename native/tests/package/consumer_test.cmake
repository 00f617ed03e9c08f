# Configures, builds and runs the consumer project against libmvhost's CMake package, twice: from
# the build tree (-Dmvhost_DIR=<build dir>) and from an install (cmake --install, then
# CMAKE_PREFIX_PATH). Run by CTest with cmake -P and these variables:
#
#   MVHOST_BUILD_DIR   the libmvhost build tree
#   WORK_DIR           a scratch directory, emptied first
#   GENERATOR          the CMake generator of the build tree
#   C_COMPILER         the C compiler of the build tree
#   SANITIZE_FLAGS     the sanitizer flags libmvhost was built with, or empty

foreach(required MVHOST_BUILD_DIR WORK_DIR GENERATOR C_COMPILER)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "consumer_test.cmake: missing -D${required}=...")
  endif()
endforeach()

set(consumer_source ${CMAKE_CURRENT_LIST_DIR}/consumer)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# Runs one command and stops the test with its output when it fails.
function(run_step description)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${description} failed (${result}):\n${output}")
  endif()
  message(STATUS "${description}: ok")
endfunction()

# Configures and builds the consumer with `package_option` locating mvhost, then runs both programs.
function(build_consumer name package_option)
  set(binary_dir ${WORK_DIR}/${name})
  run_step("${name}: configure" ${CMAKE_COMMAND} -S ${consumer_source} -B ${binary_dir} -G ${GENERATOR}
    -DCMAKE_C_COMPILER=${C_COMPILER} "-DCMAKE_C_FLAGS=${SANITIZE_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${SANITIZE_FLAGS}" ${package_option})
  run_step("${name}: build" ${CMAKE_COMMAND} --build ${binary_dir})
  run_step("${name}: run the shared-library consumer" ${binary_dir}/consumer_shared)
  run_step("${name}: run the static-library consumer" ${binary_dir}/consumer_static)
endfunction()

build_consumer(build-tree -Dmvhost_DIR=${MVHOST_BUILD_DIR})

set(prefix ${WORK_DIR}/prefix)
run_step("install" ${CMAKE_COMMAND} --install ${MVHOST_BUILD_DIR} --prefix ${prefix})
build_consumer(installed -DCMAKE_PREFIX_PATH=${prefix})
