# libmvhost's CTest programs, included from CMakeLists.txt in this directory. Each links the
# static libmvhost and, where it needs a kernel, the fake one in support/, which answers like the
# Java kernel does for absent pointers.
add_library(mvhost_test_support STATIC support/fake_kernel.c support/check.c support/local_handle_fixture.c)
target_link_libraries(mvhost_test_support PUBLIC mvhost_static mvhost_internal)
target_include_directories(mvhost_test_support PUBLIC ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_CURRENT_LIST_DIR}/support)

function(mvhost_add_test name)
  add_executable(${name} ${name}.c)
  target_link_libraries(${name} PRIVATE mvhost_test_support)
  add_test(NAME ${name} COMMAND ${name} ${ARGN})
  set_tests_properties(${name} PROPERTIES TIMEOUT 60)
endfunction()

mvhost_add_test(test_wire)
mvhost_add_test(test_golden ${CMAKE_CURRENT_LIST_DIR}/golden/frames.txt)
mvhost_add_test(test_null_syscalls)
mvhost_add_test(test_outputs)
mvhost_add_test(test_local_answers)
mvhost_add_test(test_network_status)
mvhost_add_test(test_reserved_handles)
mvhost_add_test(test_open_channel)
mvhost_add_test(test_live_handles)
mvhost_add_test(test_quiet_time)
mvhost_add_test(test_rings)
mvhost_add_test(test_threads)
mvhost_add_test(test_interrupt_thread)
mvhost_add_test(test_device_clock)
