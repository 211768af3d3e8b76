// 文档管理: upload by drag and drop with a progress bar per job, save corrections, delete and restore.
(function () {
  "use strict";
  var root = document.querySelector(".admin");
  if (!root) { return; }
  var csrf = root.getAttribute("data-csrf");

  function api(method, url, body, isForm) {
    var options = { method: method, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" };
    if (body !== undefined) {
      if (isForm) { options.body = body; } else {
        options.body = JSON.stringify(body);
        options.headers["Content-Type"] = "application/json";
      }
    }
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(data.error || ("HTTP " + response.status)); }
        return data;
      });
    });
  }

  function watch(jobId, bar, label, done) {
    function poll() {
      api("GET", "/api/jobs/" + encodeURIComponent(jobId)).then(function (job) {
        if (job.progress && job.progress.total) { bar.max = job.progress.total; bar.value = job.progress.done; }
        label.textContent = { queued: "排队中", running: "建立索引中", done: "完成", failed: "失败" }[job.state] || job.state;
        if (job.state === "done" || job.state === "failed") {
          bar.max = 1; bar.value = 1;
          if (job.summary && job.summary.skipped && job.summary.skipped.length) {
            label.textContent += "（跳过：" + job.summary.skipped.map(function (item) { return item.file + " " + item.reason; }).join("；") + "）";
          }
          label.setAttribute("data-state", job.state);
          if (done) { done(job); }
          return;
        }
        setTimeout(poll, 400);
      }).catch(function (error) { label.textContent = error.message; });
    }
    poll();
  }

  function upload(files) {
    if (!files || !files.length) { return; }
    var form = new FormData();
    Array.prototype.forEach.call(files, function (file) { form.append("file", file, file.name); });
    var item = document.createElement("li");
    var bar = document.createElement("progress");
    var label = document.createElement("span");
    label.className = "job-state";
    item.textContent = Array.prototype.map.call(files, function (file) { return file.name; }).join("、") + " ";
    item.appendChild(bar);
    item.appendChild(label);
    document.getElementById("uploads").appendChild(item);
    label.textContent = "上传中";
    api("POST", "/api/documents", form, true).then(function (data) {
      if (data.rejected && data.rejected.length) {
        var rejected = document.createElement("p");
        rejected.className = "rejected";
        rejected.textContent = "未接受：" + data.rejected.map(function (entry) { return entry.name + "（" + entry.error + "）"; }).join("；");
        item.appendChild(rejected);
      }
      if (data.job) { watch(data.job, bar, label); } else { label.textContent = "没有新文件"; label.setAttribute("data-state", "done"); }
    }).catch(function (error) { label.textContent = error.message; label.setAttribute("data-state", "failed"); });
  }

  var drop = document.getElementById("drop");
  var input = document.getElementById("files");
  input.addEventListener("change", function () { upload(input.files); input.value = ""; });
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (event) { upload(event.dataTransfer.files); });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    var row = button.closest("tr[data-doc]");
    var status = button.parentElement.querySelector(".status");
    function finish(data) {
      var bar = document.createElement("progress");
      status.textContent = "";
      status.appendChild(bar);
      var label = document.createElement("span");
      status.appendChild(label);
      watch(data.job, bar, label);
    }
    function fail(error) { status.textContent = error.message; status.setAttribute("data-state", "failed"); }
    if (button.classList.contains("save") && row) {
      var changes = {};
      row.querySelectorAll("input.edit").forEach(function (field) {
        if (field.value !== field.defaultValue) {
          var value = field.value.trim();
          changes[field.name] = value === "" ? null : (field.name === "year" ? Number(value) : value);
        }
      });
      if (!Object.keys(changes).length) { status.textContent = "没有修改"; return; }
      api("PATCH", "/api/documents/" + encodeURIComponent(row.getAttribute("data-doc")), changes).then(finish, fail);
    } else if (button.classList.contains("delete") && row) {
      if (!window.confirm("把这篇文档的文件移到回收站？")) { return; }
      api("DELETE", "/api/documents/" + encodeURIComponent(row.getAttribute("data-doc"))).then(finish, fail);
    } else if (button.classList.contains("restore")) {
      var file = button.closest("li[data-file]").getAttribute("data-file");
      api("POST", "/api/trash/restore", { file: file }).then(finish, fail);
    }
  });
}());
